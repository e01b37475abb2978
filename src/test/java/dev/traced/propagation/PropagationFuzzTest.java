package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.internal.trace.RemoteContext;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 10,000 generated header sets (seeded, so a failure replays): mutations of valid headers of every
 * style and random text with separators, control characters and non-ASCII. Each must extract to no
 * context or a valid one, never throw, and whatever was read must inject back as safe header values.
 */
class PropagationFuzzTest {

    private static final long SEED = 0x7ace_d00dL;
    private static final int HEADER_SETS = 10_000;
    private static final String[] NAMES = {"x-datadog-trace-id", "x-datadog-parent-id",
        "x-datadog-sampling-priority", "x-datadog-origin", "x-datadog-tags", "traceparent", "tracestate",
        "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags", "b3", "baggage"};
    private static final String[] VALID = {"7298014646913713143", "5208512171318403364", "2", "synthetics",
        "_dd.p.dm=-4,_dd.p.tid=9291375655657946,_dd.p.usr.id=baz64",
        "00-92913756556579466547c1a7a2e3c3f7-4848c4bea0b6b924-01",
        "dd=s:2;o:rum;p:4848c4bea0b6b924;t.dm:-4;t.tid:9291375655657946,rojo=00f067aa0ba902b7,t@v=x",
        "80f198ee56343ba864fe8b2a57d3eff7", "e457b5a2e4d86bd1", "1", "1",
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90",
        "user.id=Am%C3%A9lie,k=v;p=1"};
    private static final String ALPHABET = "0123456789abcdefABCDEFxyz-_,;=:~@.%/* \t\r\n\u0000\u007f"
        + "é١４\uD83D\uDE00\uD800\u2028\"\\";

    @Test
    void randomHeadersNeverBreakExtraction() {
        Random random = new Random(SEED);
        InMemoryTraces traces = new InMemoryTraces();
        int contexts = 0;
        try (FailureLog failures = new FailureLog();
             CloseableTracer tracer = Carrier.tracer(traces, "dd.trace.propagation.style",
                     "datadog,tracecontext,b3multi,b3single,baggage")) {
            for (int i = 0; i < HEADER_SETS; i++) {
                Map<String, String> headers = randomHeaders(random);
                try {
                    RemoteContext context = Carrier.extract(tracer, headers);
                    if (context != null) {
                        contexts++;
                        Carrier.assertValid(context);
                        Carrier.inject(tracer, context);
                        Span span = tracer.spanBuilder("fuzz").parent(context).start();
                        Carrier.inject(tracer, span.context());
                        span.finish();
                    }
                } catch (AssertionError | RuntimeException e) {
                    fail("header set #" + i + " (seed " + SEED + "): " + escape(headers), e);
                }
                if (i % 1000 == 0) {
                    traces.clear();
                }
            }
            assertEquals(List.of(), failures.failures(), "no style may throw internally");
        }
        // The generator must exercise both outcomes, or the test proves little.
        assertTrue(contexts > HEADER_SETS / 10 && contexts < HEADER_SETS * 9 / 10, "contexts: " + contexts);
    }

    private static Map<String, String> randomHeaders(Random random) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int n = 0; n < NAMES.length; n++) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            headers.put(NAMES[n], randomValue(random, VALID[n]));
        }
        return headers;
    }

    private static String randomValue(Random random, String valid) {
        switch (random.nextInt(8)) {
            case 0, 1, 2:
                return valid;
            case 3:
                return mutate(random, valid, 1 + random.nextInt(3));
            case 4:
                return valid + "," + mutate(random, valid, random.nextInt(2)); // several header lines
            case 5:
                return random.nextInt(20) == 0 ? valid.repeat(10_240 / valid.length() + 1) : valid.substring(0,
                        random.nextInt(valid.length() + 1));
            case 6:
                return randomText(random, random.nextInt(random.nextInt(10) == 0 ? 10_240 : 80));
            default:
                return null;
        }
    }

    private static String mutate(Random random, String valid, int edits) {
        StringBuilder out = new StringBuilder(valid);
        for (int e = 0; e < edits && out.length() > 0; e++) {
            int at = random.nextInt(out.length());
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(3)) {
                case 0 -> out.setCharAt(at, c);
                case 1 -> out.insert(at, c);
                default -> out.deleteCharAt(at);
            }
        }
        return out.toString();
    }

    private static String randomText(Random random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    private static String escape(Map<String, String> headers) {
        StringBuilder out = new StringBuilder();
        headers.forEach((name, value) -> {
            out.append(name).append(": ");
            if (value == null) {
                out.append("null");
            } else {
                value.chars().limit(200).forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                        : String.format("\\u%04x", c)));
            }
            out.append('\n');
        });
        return out.toString();
    }
}
