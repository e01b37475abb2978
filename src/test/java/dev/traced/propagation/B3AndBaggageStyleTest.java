package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.internal.trace.RemoteContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.traced.propagation.Carrier.extract;
import static dev.traced.propagation.Carrier.extractNonNull;
import static dev.traced.propagation.Carrier.headers;
import static dev.traced.propagation.Carrier.inject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The B3 styles (multi and single header) and W3C baggage. */
class B3AndBaggageStyleTest {

    @ParameterizedTest(name = "b3multi {0} {1} sampled={2} flags={3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        // trace id                        | span id          | sampled | flags | trace id read                    | priority
        "80f198ee56343ba864fe8b2a57d3eff7  | e457b5a2e4d86bd1 | 1       | NULL  | 80f198ee56343ba864fe8b2a57d3eff7 | 1",
        "64fe8b2a57d3eff7                  | e457b5a2e4d86bd1 | 0       | NULL  | 000000000000000064fe8b2a57d3eff7 | 0",
        "80F198EE56343BA864FE8B2A57D3EFF7  | E457B5A2E4D86BD1 | true    | NULL  | 80f198ee56343ba864fe8b2a57d3eff7 | 1",
        "64fe8b2a57d3eff7                  | e457b5a2e4d86bd1 | 0       | 1     | 000000000000000064fe8b2a57d3eff7 | 1",
        "64fe8b2a57d3eff7                  | e457b5a2e4d86bd1 | NULL    | NULL  | 000000000000000064fe8b2a57d3eff7 | " + Integer.MIN_VALUE,
    })
    void readsB3Multi(String traceId, String spanId, String sampled, String flags, String expected, int priority) {
        try (CloseableTracer tracer = Carrier.tracer("dd.trace.propagation.style", "b3multi")) {
            Map<String, String> headers = headers("x-b3-traceid", traceId, "x-b3-spanid", spanId);
            if (sampled != null) {
                headers.put("x-b3-sampled", sampled);
            }
            if (flags != null) {
                headers.put("x-b3-flags", flags);
            }
            RemoteContext context = extractNonNull(tracer, headers);
            assertEquals(expected, context.traceId());
            assertEquals(spanId.toLowerCase(), context.spanId());
            assertEquals(priority, context.samplingPriority());
        }
    }

    @ParameterizedTest(name = "b3 [{0}]")
    @CsvSource(delimiter = '|', value = {
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90 | 80f198ee56343ba864fe8b2a57d3eff7 | 1",
        "64fe8b2a57d3eff7-e457b5a2e4d86bd1-d                                 | 000000000000000064fe8b2a57d3eff7 | 1",
        "64fe8b2a57d3eff7-e457b5a2e4d86bd1-0                                 | 000000000000000064fe8b2a57d3eff7 | 0",
        "64fe8b2a57d3eff7-e457b5a2e4d86bd1                                   | 000000000000000064fe8b2a57d3eff7 | " + Integer.MIN_VALUE,
    })
    void readsB3Single(String header, String traceId, int priority) {
        try (CloseableTracer tracer = Carrier.tracer("dd.trace.propagation.style", "b3single")) {
            RemoteContext context = extractNonNull(tracer, headers("b3", header));
            assertEquals(traceId, context.traceId());
            assertEquals("e457b5a2e4d86bd1", context.spanId());
            assertEquals(priority, context.samplingPriority());
        }
    }

    @ParameterizedTest(name = "invalid b3 [{0}]")
    @ValueSource(strings = {"0", "1", "d", "64fe8b2a57d3eff7", "64fe8b2a57d3eff7-", "-e457b5a2e4d86bd1",
        "0000000000000000-e457b5a2e4d86bd1-1", "64fe8b2a57d3eff7-0000000000000000-1",
        "64fe8b2a57d3eff-e457b5a2e4d86bd1-1", "64fe8b2a57d3eff7-e457b5a2e4d86bd1-x",
        "64fe8b2a57d3eff7-e457b5a2e4d86bd-1", "g4fe8b2a57d3eff7-e457b5a2e4d86bd1"})
    void rejectsInvalidB3Single(String header) {
        try (CloseableTracer tracer = Carrier.tracer("dd.trace.propagation.style", "b3single")) {
            assertNull(extract(tracer, headers("b3", header)));
        }
    }

    @Test
    void injectsB3WithPaddedIdsAndDecidedSampling() {
        try (CloseableTracer tracer = Carrier.tracer("dd.trace.propagation.style", "b3multi,b3single")) {
            RemoteContext parent = new RemoteContext(0, 0x64fe8b2a57d3eff7L, 0x0e457b5a2e4d86bdL, 0, null, null,
                    null, null, null);
            Map<String, String> headers = inject(tracer, parent);
            assertEquals("000000000000000064fe8b2a57d3eff7", headers.get("x-b3-traceid"));
            assertEquals("0e457b5a2e4d86bd", headers.get("x-b3-spanid"));
            assertEquals("0", headers.get("x-b3-sampled"));
            assertEquals("000000000000000064fe8b2a57d3eff7-0e457b5a2e4d86bd-0", headers.get("b3"));
        }
    }

    // ---- baggage ------------------------------------------------------------------------------

    @ParameterizedTest(name = "baggage [{0}]")
    @CsvSource(delimiter = '|', value = {
        "key1=value1,key2=value2                         | {key1=value1, key2=value2}",
        "'  key1 = value1 ;prop=1;flag , key2=v2 '       | {key1=value1, key2=v2}",
        "user.id=Am%C3%A9lie                             | {user.id=Amélie}",
        "k%20ey=%25                                      | {k ey=%}",
        "k=                                              | {k=}",
    })
    void readsBaggage(String header, String expected) {
        try (CloseableTracer tracer = Carrier.tracer()) {
            RemoteContext context = extractNonNull(tracer, headers("x-datadog-trace-id", "1",
                    "x-datadog-parent-id", "2", "baggage", header));
            assertEquals(expected, context.baggage().toString());
        }
    }

    @ParameterizedTest(name = "baggage [{0}] goes on as [{1}]")
    @CsvSource(delimiter = '|', value = {
        "user.id=alice,session.id=7f3a9c2e,account.id=acme%20corp | user.id=alice,session.id=7f3a9c2e,account.id=acme%20corp",
        "k=%25%2C%3B%22                                          | k=%25%2C%3B%22",
        "k=                                                      | k=",
        "k=acme%2ocorp%20                                        | ",
        "' k=v'                                                  | k=v",
        "'k=v '                                                  | k=v",
        "k=v;prop=1                                              | k=v",
        "k=v,                                                    | k=v",
        "k=v,k=w                                                 | k=w",
        "k=%2c                                                   | k=%2C",
        "k=%41                                                   | k=A",
        "k%41=v                                                  | kA=v",
        "user.id=Am%C3%A9lie                                     | user.id=Am%C3%A9lie",
        "k=%C3                                                   | k=%EF%BF%BD",
    })
    void baggageGoesOnAsItCameOnlyWhenThatIsItsEncoding(String header, String sent) {
        // A header already in the encoder's form is passed on as it came (the same String); any other
        // is encoded anew from its items, as before.
        try (CloseableTracer tracer = Carrier.tracer()) {
            Map<String, String> received = headers("x-datadog-trace-id", "1", "x-datadog-parent-id", "2",
                    "baggage", header);
            if (sent == null) {
                assertTrue(extractNonNull(tracer, received).baggage().isEmpty(), "malformed: ignored");
                return;
            }
            RemoteContext context = extractNonNull(tracer, received);
            Span span = tracer.spanBuilder("client").parent(context).startInactive();
            String first = inject(tracer, span.context()).get("baggage");
            assertEquals(sent, first);
            assertEquals(sent, inject(tracer, context).get("baggage"), "the context passed on");
            if (sent.equals(header) && !header.contains("%C3")) {
                // (an escaped non-ASCII byte is not checked as UTF-8 on the way in: encoded anew)
                assertSame(header, first, "passed on as it came");
            }
            span.setBaggageItem("added", "x y");
            assertEquals(sent + ",added=x%20y", inject(tracer, span.context()).get("baggage"),
                    "a change is sent with the next call");
            span.finish();
        }
    }

    @ParameterizedTest(name = "invalid baggage [{0}]")
    @ValueSource(strings = {"novalue", "=v", "k=v,bad", "k=v v", "k=%zz", "k=%4", "k\"=v", "k=é", "k=v,,=x"})
    void ignoresMalformedBaggageAsAWhole(String header) {
        try (CloseableTracer tracer = Carrier.tracer()) {
            RemoteContext context = extractNonNull(tracer, headers("x-datadog-trace-id", "1",
                    "x-datadog-parent-id", "2", "baggage", header));
            assertTrue(context.baggage().isEmpty(), context.baggage().toString());
        }
    }

    @Test
    void baggageLimitsItemsAndBytes() {
        try (CloseableTracer tracer = Carrier.tracer()) {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                many.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
            }
            RemoteContext context = extractNonNull(tracer, headers("x-datadog-trace-id", "1",
                    "x-datadog-parent-id", "2", "baggage", many.toString()));
            assertEquals(64, context.baggage().size());
            assertEquals(64, inject(tracer, context).get("baggage").split(",").length);

            String big = "a=" + "x".repeat(5000) + ",b=" + "y".repeat(5000) + ",c=z";
            RemoteContext bounded = extractNonNull(tracer, headers("x-datadog-trace-id", "1",
                    "x-datadog-parent-id", "2", "baggage", big));
            assertEquals(java.util.Set.of("a"), bounded.baggage().keySet(), "b crosses 8192 bytes");
            Map<String, String> oversized = Map.of("a", "x".repeat(5000), "b", "y".repeat(5000));
            String injected = inject(tracer, new RemoteContext(0, 1, 2, 1, null, null, null, oversized, null))
                    .get("baggage");
            assertTrue(injected.length() <= 8192 && injected.length() > 5000, "one item fits, not both");
        }
    }

    @Test
    void baggageAloneMakesNoParent() {
        try (CloseableTracer tracer = Carrier.tracer()) {
            assertNull(extract(tracer, headers("baggage", "user.id=alice")));
        }
    }
}
