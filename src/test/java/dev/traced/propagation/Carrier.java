package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.SpanContext;
import dev.traced.Tracer;
import dev.traced.TracerBuilder;
import dev.traced.internal.trace.RemoteContext;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Headers as a map, and tracers built through the public API: the fixtures of the propagation tests. */
final class Carrier {

    private Carrier() {
    }

    /** A tracer recording into {@code traces}, with settings given as key, value, key, value... */
    static CloseableTracer tracer(InMemoryTraces traces, String... settings) {
        TracerBuilder builder = TracerBuilder.create().ignoreEnvironment().inMemory(traces)
                .config("dd.service", "propagation-test");
        for (int i = 0; i < settings.length; i += 2) {
            builder.config(settings[i], settings[i + 1]);
        }
        return builder.build();
    }

    static CloseableTracer tracer(String... settings) {
        return tracer(new InMemoryTraces(), settings);
    }

    /** Headers from name, value pairs; names are stored lower-case as the extract contract wants. */
    static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i].toLowerCase(Locale.ROOT), pairs[i + 1]);
        }
        return headers;
    }

    static RemoteContext extract(Tracer tracer, Map<String, String> headers) {
        SpanContext context = tracer.extract(headers::get);
        return (RemoteContext) context;
    }

    static RemoteContext extractNonNull(Tracer tracer, Map<String, String> headers) {
        RemoteContext context = extract(tracer, headers);
        assertNotNull(context, "no context extracted from " + headers);
        return context;
    }

    static Map<String, String> inject(Tracer tracer, SpanContext context) {
        Map<String, String> headers = new LinkedHashMap<>();
        tracer.inject(context, headers::put);
        assertHeaderSafe(headers);
        return headers;
    }

    /** Every injected value must be printable ASCII: no CR/LF, no control or non-ASCII characters. */
    static void assertHeaderSafe(Map<String, String> headers) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String value = header.getValue();
            assertNotNull(value, header.getKey());
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                assertTrue(c >= 0x20 && c <= 0x7e, "unsafe char " + (int) c + " in " + header);
            }
        }
    }

    /** The valid-context invariant: non-zero ids in 32/16 lower-case hex. */
    static void assertValid(SpanContext context) {
        String traceId = context.traceId();
        String spanId = context.spanId();
        assertTrue(traceId.matches("[0-9a-f]{32}") && !traceId.substring(16).equals("0000000000000000"),
                "trace id " + traceId);
        assertTrue(spanId.matches("[0-9a-f]{16}") && !spanId.equals("0000000000000000"), "span id " + spanId);
    }
}
