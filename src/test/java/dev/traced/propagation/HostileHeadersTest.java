package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.internal.trace.RemoteContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.traced.propagation.Carrier.headers;
import static dev.traced.propagation.Carrier.inject;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Malformed, duplicated, oversized and hostile headers: the bad style is ignored (with
 * {@code _dd.propagation_error} where Datadog sets one), nothing throws, nothing unsafe is written back.
 */
class HostileHeadersTest {

    private static final String KB10 = "9".repeat(10_240);
    private static final String DD_ID = "1";
    private static final String W3C = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String W3C_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String DD_TRACE = "00000000000000000000000000000001";

    private final CloseableTracer tracer = Carrier.tracer("dd.trace.propagation.style",
            "datadog,tracecontext,b3multi,b3single,baggage");

    @AfterEach
    void close() {
        tracer.close();
    }

    static Stream<Arguments> hostileHeaders() {
        return Stream.of(
            // description, headers, trace id read (null: none), expected _dd.propagation_error
            Arguments.of("10 KB trace id", headers("x-datadog-trace-id", KB10, "x-datadog-parent-id", "2"), null, null),
            Arguments.of("10 KB parent id", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", KB10), null, null),
            Arguments.of("10 KB priority", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2",
                    "x-datadog-sampling-priority", KB10), DD_TRACE, null),
            Arguments.of("10 KB origin", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2",
                    "x-datadog-origin", "a".repeat(10_240)), DD_TRACE, null),
            Arguments.of("10 KB tags", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2",
                    "x-datadog-tags", "_dd.p.a=" + KB10), DD_TRACE, "extract_max_size"),
            Arguments.of("10 KB traceparent", headers("traceparent", W3C + "-" + KB10), null, null),
            Arguments.of("10 KB future traceparent", headers("traceparent", "01" + W3C.substring(2) + "-" + KB10),
                    W3C_ID, null),
            Arguments.of("10 KB tracestate member", headers("traceparent", W3C, "tracestate", "dd=s:2;o:" + KB10),
                    W3C_ID, null),
            Arguments.of("100 KB tracestate", headers("traceparent", W3C, "tracestate",
                    "k=v,".repeat(25_000)), W3C_ID, null),
            Arguments.of("10 KB b3", headers("b3", KB10), null, null),
            Arguments.of("10 KB b3 ids", headers("x-b3-traceid", KB10, "x-b3-spanid", KB10), null, null),
            Arguments.of("10 KB baggage", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2",
                    "baggage", "k=" + KB10), DD_TRACE, null),
            Arguments.of("CR LF in trace id", headers("x-datadog-trace-id", "1\r\nx-evil: 1", "x-datadog-parent-id", "2"),
                    null, null),
            Arguments.of("CR LF in tags", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2",
                    "x-datadog-tags", "_dd.p.a=1\r\nx-evil: 1"), DD_TRACE, "decoding_error"),
            Arguments.of("CR LF in traceparent", headers("traceparent", W3C + "\r\n"), null, null),
            Arguments.of("CR LF in tracestate", headers("traceparent", W3C, "tracestate", "dd=o:a\r\nx:1"), W3C_ID, null),
            Arguments.of("CR LF in baggage", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2",
                    "baggage", "k=v\r\nx"), DD_TRACE, null),
            Arguments.of("unicode digits", headers("x-datadog-trace-id", "١٢٣", "x-datadog-parent-id", "٢"), null, null),
            Arguments.of("fullwidth hex traceparent", headers("traceparent",
                    "00-４bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), null, null),
            Arguments.of("unicode hex b3", headers("b3", "６4fe8b2a57d3eff7-e457b5a2e4d86bd1"), null, null),
            Arguments.of("unicode origin", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2",
                    "x-datadog-origin", "rüm"), DD_TRACE, null),
            Arguments.of("unicode tags", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2",
                    "x-datadog-tags", "_dd.p.ü=1"), DD_TRACE, "decoding_error"),
            Arguments.of("surrogate baggage", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2",
                    "baggage", "k=\uD83D"), DD_TRACE, null),
            Arguments.of("zero ids everywhere", headers("x-datadog-trace-id", "0", "x-datadog-parent-id", "0",
                    "traceparent", "00-00000000000000000000000000000000-0000000000000000-01",
                    "x-b3-traceid", "0000000000000000", "x-b3-spanid", "0000000000000000",
                    "b3", "00000000000000000000000000000000-0000000000000000"), null, null),
            Arguments.of("two traceparent lines", headers("traceparent", W3C + "," + W3C), null, null),
            Arguments.of("two traceparent lines, datadog valid", headers("traceparent", W3C + ", " + W3C,
                    "x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2"), DD_TRACE, null),
            Arguments.of("two datadog lines", headers("x-datadog-trace-id", "1,7", "x-datadog-parent-id", "2,8"),
                    DD_TRACE, null),
            Arguments.of("wrong hex", headers("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e473z-00f067aa0ba902b7-01",
                    "x-b3-traceid", "xyz", "x-b3-spanid", "e457b5a2e4d86bd1"), null, null),
            Arguments.of("empty values", headers("x-datadog-trace-id", "", "x-datadog-parent-id", "",
                    "traceparent", "", "tracestate", "", "b3", "", "baggage", ""), null, null),
            Arguments.of("only junk", headers("x-datadog-tags", "_dd.p.dm=-4", "x-datadog-origin", "rum",
                    "tracestate", "dd=s:2", "x-b3-sampled", "1", "baggage", "k=v"), null, null),
            Arguments.of("malformed tid", headers("x-datadog-trace-id", DD_ID, "x-datadog-parent-id", "2",
                    "x-datadog-tags", "_dd.p.tid=XYZ"), DD_TRACE, "malformed_tid XYZ")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileHeaders")
    void hostileHeadersAreIgnoredSafely(String description, Map<String, String> headers, String traceId,
                                        String error) {
        RemoteContext context;
        try (FailureLog failures = new FailureLog()) {
            context = assertDoesNotThrow(() -> Carrier.extract(tracer, headers));
            assertEquals(List.of(), failures.failures(), "no style may throw internally");
        }
        if (traceId == null) {
            assertNull(context, description);
            return;
        }
        assertNotNull(context, description);
        Carrier.assertValid(context);
        assertEquals(traceId, context.traceId());
        assertEquals(error, context.propagationTags().get("_dd.propagation_error"));
        Span span = tracer.spanBuilder("server").parent(context).start();
        inject(tracer, span.context()); // asserts every value is safe to send
        inject(tracer, context);
        span.finish();
    }

    @Test
    void aThrowingOrNullCarrierIsNoContext() {
        Function<String, String> throwing = name -> {
            throw new IllegalStateException("carrier broke");
        };
        assertNull(tracer.extract(throwing));
        assertNull(tracer.extract(name -> null));
        assertNull(tracer.extract(null));
    }

    @Test
    void aThrowingInjectCarrierDoesNotReachTheApplication() {
        Span span = tracer.trace("client");
        assertDoesNotThrow(() -> tracer.inject(span.context(), (name, value) -> {
            throw new UnsupportedOperationException("read-only headers");
        }));
        tracer.inject(span.context(), null);
        tracer.inject(null, (name, value) -> { });
        span.finish();
    }

    @Test
    void foreignContextsWithBadIdsInjectNothing() {
        SpanContext bad = new SpanContext() {
            @Override
            public String traceId() {
                return "\r\n";
            }

            @Override
            public String spanId() {
                return null;
            }
        };
        assertEquals(Map.of(), inject(tracer, bad));
        RemoteContext zero = new RemoteContext(0, 0, 0, 1, null, null, null, null, null);
        assertEquals(Map.of(), inject(tracer, zero));
    }

    @Test
    void hostileValuesInAContextAreNeverWrittenRaw() {
        Map<String, String> tags = new java.util.HashMap<>();
        tags.put("_dd.p.a", "x\r\ny");
        tags.put("_dd.p.b\n", "1");
        tags.put("_dd.p.c", null);
        tags.put("_dd.p.ok", "fine");
        RemoteContext hostile = new RemoteContext(0, 1, 2, 1, "o\r\nx-evil: 1", tags, "rojo=1\r\nx: 2",
                Map.of("k\r\n", "v\u0000é"), null);
        Map<String, String> headers = inject(tracer, hostile);
        assertNull(headers.get("x-datadog-origin"));
        assertEquals("_dd.p.ok=fine", headers.get("x-datadog-tags"));
        assertEquals("k%0D%0A=v%00%C3%A9", headers.get("baggage"));
    }
}
