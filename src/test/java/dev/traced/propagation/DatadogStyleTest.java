package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.internal.trace.RemoteContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static dev.traced.propagation.Carrier.extract;
import static dev.traced.propagation.Carrier.extractNonNull;
import static dev.traced.propagation.Carrier.headers;
import static dev.traced.propagation.Carrier.inject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The {@code datadog} style: ids, priority, origin and {@code x-datadog-tags} with its limits. */
class DatadogStyleTest {

    private final InMemoryTraces traces = new InMemoryTraces();
    private final CloseableTracer tracer = Carrier.tracer(traces, "dd.trace.propagation.style", "datadog");

    @AfterEach
    void close() {
        tracer.close();
    }

    @ParameterizedTest(name = "trace id {0}, parent id {1}")
    @CsvSource(delimiter = '|', value = {
        "1                    | 2                    | 00000000000000000000000000000001 | 0000000000000002",
        "18446744073709551615 | 18446744073709551615 | 0000000000000000ffffffffffffffff | ffffffffffffffff",
        "9223372036854775808  | 1234                 | 00000000000000008000000000000000 | 00000000000004d2",
        "'1, 2'               | 3                    | 00000000000000000000000000000001 | 0000000000000003",
    })
    void readsUnsignedDecimalIds(String traceId, String parentId, String expectedTrace, String expectedSpan) {
        RemoteContext context = extractNonNull(tracer,
                headers("x-datadog-trace-id", traceId, "x-datadog-parent-id", parentId));
        assertEquals(expectedTrace, context.traceId());
        assertEquals(expectedSpan, context.spanId());
    }

    @ParameterizedTest(name = "trace id [{0}] goes on as {1}")
    @CsvSource(delimiter = '|', value = {
        "7298014646913713143     | 7298014646913713143",
        "18446744073709551615    | 18446744073709551615",
        "00042                   | 42",
        "'42, 43'                | 42",
        "01                      | 1",
    })
    void theReceivedTraceIdGoesOnInItsCanonicalForm(String received, String sent) {
        // The received text is passed on as it came only when it is the canonical decimal.
        RemoteContext context = extractNonNull(tracer,
                headers("x-datadog-trace-id", received, "x-datadog-parent-id", "5"));
        assertEquals(sent, Carrier.inject(tracer, context).get("x-datadog-trace-id"), "the context passed on");
        Span span = tracer.spanBuilder("client").parent(context).startInactive();
        Map<String, String> out = Carrier.inject(tracer, span.context());
        assertEquals(sent, out.get("x-datadog-trace-id"), "a span continuing it");
        assertEquals(Long.toUnsignedString(Long.parseUnsignedLong(span.context().spanId(), 16)),
                out.get("x-datadog-parent-id"), "the span's own id");
        span.finish();
        Span root = tracer.spanBuilder("another").startInactive();
        assertEquals(Long.toUnsignedString(Long.parseUnsignedLong(root.context().traceId().substring(16), 16)),
                Carrier.inject(tracer, root.context()).get("x-datadog-trace-id"), "a trace of its own");
        root.finish();
    }

    @ParameterizedTest(name = "trace id [{0}], parent id [{1}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "0                    | 1",
        "1                    | 0",
        "18446744073709551616 | 1",
        "-1                   | 1",
        "0x1                  | 1",
        "12a                  | 1",
        "''                   | 1",
        "1                    | ''",
        "NULL                 | 1",
        "1                    | NULL",
        "' '                  | 1",
        "١٢٣                  | 1",
        "123456789012345678901| 1",
    })
    void rejectsMalformedIds(String traceId, String parentId) {
        Map<String, String> headers = headers("x-datadog-trace-id", traceId, "x-datadog-parent-id", parentId);
        assertNull(extract(tracer, headers));
    }

    @ParameterizedTest(name = "priority [{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "2    | 2", "1 | 1", "0 | 0", "-1 | -1", "'1,2' | 1",
        "x    | " + Integer.MIN_VALUE, "1.0 | " + Integer.MIN_VALUE, "'' | " + Integer.MIN_VALUE,
    })
    void readsSamplingPriority(String priority, int expected) {
        RemoteContext context = extractNonNull(tracer, headers("x-datadog-trace-id", "1",
                "x-datadog-parent-id", "2", "x-datadog-sampling-priority", priority));
        assertEquals(expected, context.samplingPriority());
    }

    @ParameterizedTest(name = "tags [{0}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        // header                                         | kept tags                        | propagation error
        "_dd.p.dm=-4                                      | {_dd.p.dm=-4}                    | NULL",
        "_dd.p.dm=934086a686-4,_dd.p.usr.id=baz64         | {_dd.p.dm=934086a686-4, _dd.p.usr.id=baz64} | NULL",
        "_dd.p.dm=-4,other=1,_dd.p.upstream_services=x    | {_dd.p.dm=-4}                    | NULL",
        "'_dd.p.a=with space'                             | {_dd.p.a=with space}             | NULL",
        "_dd.p.dm=4                                       | {}                               | decoding_error",
        "_dd.p.dm=-a                                      | {}                               | decoding_error",
        "_dd.p.dm                                         | {}                               | decoding_error",
        "=x                                               | {}                               | decoding_error",
        "_dd.p.a=                                         | {}                               | decoding_error",
        "'_dd.p.a=1,'                                     | {}                               | decoding_error",
        "'_dd.p.a=1,,_dd.p.b=2'                           | {}                               | decoding_error",
        "'_dd.p a=1'                                      | {}                               | decoding_error",
        "_dd.p.a=é                                        | {}                               | decoding_error",
        "_dd.p.tid=640CFD8D00000000                       | {}                               | malformed_tid 640CFD8D00000000",
        "_dd.p.tid=640cfd8d                               | {}                               | malformed_tid 640cfd8d",
        "_dd.p.tid=640cfd8d0000000g                       | {}                               | malformed_tid 640cfd8d0000000g",
    })
    void decodesTagsOrReportsTheError(String header, String expectedTags, String expectedError) {
        RemoteContext context = extractNonNull(tracer, headers("x-datadog-trace-id", "1",
                "x-datadog-parent-id", "2", "x-datadog-tags", header));
        Map<String, String> tags = new java.util.TreeMap<>(context.propagationTags());
        String error = tags.remove("_dd.propagation_error");
        assertEquals(expectedTags, tags.toString());
        assertEquals(expectedError, error);
        assertEquals(0, context.traceIdHigh(), "a bad tid leaves the id at 64 bits");
    }

    @Test
    void restores128BitTraceIdFromTid() {
        RemoteContext context = extractNonNull(tracer, headers("x-datadog-trace-id", "1",
                "x-datadog-parent-id", "2", "x-datadog-tags", "_dd.p.dm=-4,_dd.p.tid=640cfd8d00000000"));
        assertEquals("640cfd8d000000000000000000000001", context.traceId());
        assertFalse(context.propagationTags().containsKey("_dd.p.tid"), "tid lives in the id, not the tags");
    }

    @Test
    void tagsLongerThanTheLimitAreDroppedWithExtractMaxSize() {
        String header = "_dd.p.a=" + "x".repeat(505); // 513 characters
        RemoteContext context = extractNonNull(tracer, headers("x-datadog-trace-id", "1",
                "x-datadog-parent-id", "2", "x-datadog-tags", header));
        assertEquals(Map.of("_dd.propagation_error", "extract_max_size"), context.propagationTags());

        String fits = "_dd.p.a=" + "x".repeat(504); // 512 characters
        RemoteContext kept = extractNonNull(tracer, headers("x-datadog-trace-id", "1",
                "x-datadog-parent-id", "2", "x-datadog-tags", fits));
        assertEquals("x".repeat(504), kept.propagationTags().get("_dd.p.a"));
    }

    @Test
    void limitZeroDisablesTheTagsHeader() {
        try (CloseableTracer disabled = Carrier.tracer(traces, "dd.trace.propagation.style", "datadog",
                "dd.trace.x.datadog.tags.max.length", "0")) {
            RemoteContext context = extractNonNull(disabled, headers("x-datadog-trace-id", "1",
                    "x-datadog-parent-id", "2", "x-datadog-tags", "_dd.p.dm=-4"));
            assertEquals(Map.of("_dd.propagation_error", "disabled"), context.propagationTags());
            Span span = disabled.trace("client");
            assertNull(inject(disabled, span.context()).get("x-datadog-tags"));
            span.finish();
        }
        assertEquals("disabled", traces.span("client").tag("_dd.propagation_error"));
    }

    @Test
    void injectsIdsPriorityOriginAndTagsOfTheSpan() {
        RemoteContext parent = extractNonNull(tracer, headers("x-datadog-trace-id", "12345",
                "x-datadog-parent-id", "67890", "x-datadog-sampling-priority", "2",
                "x-datadog-origin", "synthetics", "x-datadog-tags", "_dd.p.usr.id=baz64,_dd.p.dm=-4"));
        Span server = tracer.spanBuilder("server").parent(parent).start();
        Span client = tracer.trace("client");
        Map<String, String> headers = inject(tracer, client.context());
        client.finish();
        server.finish();

        assertEquals("12345", headers.get("x-datadog-trace-id"));
        assertEquals(Long.toUnsignedString(Long.parseUnsignedLong(client.context().spanId(), 16)),
                headers.get("x-datadog-parent-id"), "the parent of the callee is the client span");
        assertEquals("2", headers.get("x-datadog-sampling-priority"));
        assertEquals("synthetics", headers.get("x-datadog-origin"));
        assertEquals("_dd.p.dm=-4,_dd.p.usr.id=baz64", headers.get("x-datadog-tags"), "dm first, as Java");
    }

    @Test
    void injectsTidForA128BitTraceAndTheDecidedPriority() {
        Span span = tracer.trace("local");
        Map<String, String> headers = inject(tracer, span.context());
        span.finish();
        String tid = span.context().traceId().substring(0, 16);
        assertEquals("_dd.p.dm=-1,_dd.p.tid=" + tid, headers.get("x-datadog-tags"));
        assertEquals("1", headers.get("x-datadog-sampling-priority"));
        assertNull(headers.get("x-datadog-origin"));
    }

    @Test
    void tagsOverTheLimitOnInjectAreOmittedWithInjectMaxSize() {
        // 500 characters of tags fit when extracted; the W3C 128-bit id adds _dd.p.tid on the way out.
        try (CloseableTracer both = Carrier.tracer(traces)) {
            String tags = "_dd.p.a=" + "x".repeat(492);
            RemoteContext parent = extractNonNull(both, headers("x-datadog-trace-id", "1",
                    "x-datadog-parent-id", "2", "x-datadog-sampling-priority", "1", "x-datadog-tags", tags,
                    "traceparent", "00-640cfd8d000000000000000000000001-0000000000000002-01"));
            Span server = both.spanBuilder("server").parent(parent).start();
            Map<String, String> headers = inject(both, server.context());
            server.finish();
            assertNull(headers.get("x-datadog-tags"));
            assertEquals("1", headers.get("x-datadog-trace-id"), "the rest of the style is still sent");
        }
        FinishedSpan server = traces.span("server");
        assertEquals("inject_max_size", server.tag("_dd.propagation_error"));
    }

    @Test
    void theCallersTraceTagsStayWhenTheTraceAddsItsOwn() {
        // A continued trace reads the caller's tags where the extracted context keeps them until it
        // sets one of its own: then both are written, none lost, none twice.
        try (CloseableTracer both = Carrier.tracer(traces)) {
            String tags = "_dd.p.usr.id=baz64,_dd.p.a=" + "x".repeat(470);
            RemoteContext parent = extractNonNull(both, headers("x-datadog-trace-id", "1",
                    "x-datadog-parent-id", "2", "x-datadog-sampling-priority", "1", "x-datadog-tags", tags,
                    "traceparent", "00-640cfd8d000000000000000000000001-0000000000000003-01",
                    "baggage", "user.id=alice"));
            Span server = both.spanBuilder("server").parent(parent).start();
            assertNull(inject(both, server.context()).get("x-datadog-tags"), "over the limit with _dd.p.tid");
            server.finish();
        }
        FinishedSpan server = traces.span("server");
        assertEquals("inject_max_size", server.tag("_dd.propagation_error"), "the trace's own root tag");
        assertEquals("alice", server.tag("baggage.user.id"), "the caller's root tags");
        assertEquals("0000000000000002", server.tag("_dd.parent_id"));
        assertEquals("baz64", server.tag("_dd.p.usr.id"), "the caller's propagated tags");
        assertEquals("x".repeat(470), server.tag("_dd.p.a"));
    }

    @Test
    void originWithControlCharactersIsIgnored() {
        RemoteContext context = extractNonNull(tracer, headers("x-datadog-trace-id", "1",
                "x-datadog-parent-id", "2", "x-datadog-origin", "rum\r\nx-evil: 1"));
        assertNull(context.origin());
    }
}
