package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.internal.trace.RemoteContext;
import dev.traced.internal.trace.SpanLinkData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.traced.propagation.Carrier.extractNonNull;
import static dev.traced.propagation.Carrier.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several styles in one request: first complete context wins, W3C refines it, other traces become links. */
class ExtractionPrecedenceTest {

    private final InMemoryTraces traces = new InMemoryTraces();
    private final CloseableTracer tracer = Carrier.tracer(traces); // datadog,tracecontext,baggage

    @AfterEach
    void close() {
        tracer.close();
    }

    /** Starts and finishes a server span under the context; returns it as written. */
    private FinishedSpan continueTrace(RemoteContext context) {
        Span span = tracer.spanBuilder("server").parent(context).start();
        span.finish();
        FinishedSpan finished = traces.span("server");
        traces.clear();
        return finished;
    }

    @Test
    void sameTraceSameParentNeedsNoParentIdTag() {
        RemoteContext context = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "7298014646913713143", "x-datadog-parent-id", "5208629292073138468",
                "x-datadog-sampling-priority", "2", "x-datadog-tags", "_dd.p.tid=9291375655657946",
                "traceparent", "00-92913756556579466547c1a7a2e3c3f7-4848c4bea0b6b924-01",
                "tracestate", "dd=s:2;p:4848c4bea0b6b924,rojo=1"));
        assertEquals("92913756556579466547c1a7a2e3c3f7", context.traceId());
        assertEquals("4848c4bea0b6b924", context.spanId());
        assertEquals(2, context.samplingPriority());
        assertNull(context.propagationTags().get("_dd.parent_id"));
        assertEquals("rojo=1", context.traceState(), "tracestate of the same trace travels on");
    }

    @Test
    void sameTraceDifferentParentTakesTheW3cParentAndKeepsTheDatadogOne() {
        RemoteContext context = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "7298014646913713143", "x-datadog-parent-id", "1",
                "x-datadog-sampling-priority", "2",
                "traceparent", "00-00000000000000006547c1a7a2e3c3f7-00f067aa0ba902b7-01",
                "tracestate", "dd=s:2;p:000000000000000a"));
        assertEquals("00f067aa0ba902b7", context.spanId(), "the W3C parent is the closer one");
        assertEquals("000000000000000a", context.propagationTags().get("_dd.parent_id"), "from p:");
        assertEquals(2, context.samplingPriority(), "Datadog's priority stays");

        RemoteContext withoutP = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "7298014646913713143", "x-datadog-parent-id", "1",
                "traceparent", "00-00000000000000006547c1a7a2e3c3f7-00f067aa0ba902b7-01"));
        assertEquals("0000000000000001", withoutP.propagationTags().get("_dd.parent_id"),
                "without p: the Datadog parent id in hex");
        assertEquals("0000000000000001", continueTrace(withoutP).tag("_dd.parent_id"));
    }

    @Test
    void w3cHighBitsCompleteA64BitDatadogId() {
        RemoteContext context = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "7298014646913713143", "x-datadog-parent-id", "5208629292073138468",
                "traceparent", "00-92913756556579466547c1a7a2e3c3f7-4848c4bea0b6b924-01"));
        assertEquals("92913756556579466547c1a7a2e3c3f7", context.traceId());
        assertNull(context.propagationTags().get("_dd.propagation_error"));
    }

    @Test
    void disagreeingHighBitsMakeAnotherTrace() {
        // As dd-trace-java: two 128-bit ids match only as a whole; a 64-bit id matches on its 64 bits.
        RemoteContext context = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "7298014646913713143", "x-datadog-parent-id", "5208629292073138468",
                "x-datadog-tags", "_dd.p.tid=1111111111111111",
                "traceparent", "00-92913756556579466547c1a7a2e3c3f7-4848c4bea0b6b924-01"));
        assertEquals("11111111111111116547c1a7a2e3c3f7", context.traceId());
        assertEquals(1, context.spanLinks().size());
        assertEquals("92913756556579466547c1a7a2e3c3f7", context.spanLinks().get(0).traceId());
    }

    @Test
    void differentTraceBecomesASpanLink() {
        RemoteContext context = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "1", "x-datadog-parent-id", "2", "x-datadog-sampling-priority", "1",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "tracestate", "dd=s:2,rojo=\"x\\y\""));
        assertEquals("00000000000000000000000000000001", context.traceId());
        assertEquals("0000000000000002", context.spanId());
        assertNull(context.traceState(), "another trace's tracestate is not passed on");
        SpanLinkData expected = new SpanLinkData(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L, 0x00f067aa0ba902b7L,
                Map.of("reason", "terminated_context", "context_headers", "tracecontext"), "dd=s:2,rojo=\"x\\y\"",
                SpanLinkData.FLAGS_SET | SpanLinkData.SAMPLED);
        assertEquals(List.of(expected), context.spanLinks());
        assertEquals(List.of("reason", "context_headers"),
                List.copyOf(context.spanLinks().get(0).attributes().keySet()), "dd-trace-java's order");
        FinishedSpan server = continueTrace(context);
        assertEquals(List.of(expected), server.links(), "recorded on the local root");
        assertNull(server.tag("_dd.span_links"), "a native span link, not the JSON tag");
        assertEquals("00000000000000000000000000000001", server.traceId());
    }

    @Test
    void linksOfOneExtractionStayAsTheyWereAfterTheNext() {
        // The W3C result read after the Datadog one won is reused on the thread: a link made of it
        // must not change with the next extraction, and the next one must start from nothing.
        RemoteContext first = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "1", "x-datadog-parent-id", "2",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "tracestate", "dd=s:2;p:000000000000000a,rojo=1"));
        RemoteContext second = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "3", "x-datadog-parent-id", "4",
                "traceparent", "00-0000000000000000000000000000000c-000000000000000d-00"));
        assertEquals(List.of(new SpanLinkData(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L, 0x00f067aa0ba902b7L,
                Map.of("reason", "terminated_context", "context_headers", "tracecontext"),
                "dd=s:2;p:000000000000000a,rojo=1", SpanLinkData.FLAGS_SET | SpanLinkData.SAMPLED)),
                first.spanLinks());
        assertEquals(List.of(new SpanLinkData(0, 0xc, 0xd,
                Map.of("reason", "terminated_context", "context_headers", "tracecontext"), null,
                SpanLinkData.FLAGS_SET)), second.spanLinks(), "nothing of the first tracestate");
        assertNull(second.traceState());
        assertNull(second.propagationTags().get("_dd.parent_id"));

        RemoteContext same = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "7298014646913713143", "x-datadog-parent-id", "1",
                "traceparent", "00-00000000000000006547c1a7a2e3c3f7-00f067aa0ba902b7-01"));
        assertEquals("0000000000000001", same.propagationTags().get("_dd.parent_id"),
                "no p: left over from an earlier tracestate");
        assertNull(same.traceState(), "no tracestate left over");
    }

    @Test
    void anExtractionFromInsideAnotherLeavesBothWhole() {
        // Both results of an extraction are reused on the thread: a carrier whose getter extracts
        // too (between the Datadog and the W3C headers of the outer one) must not mix the two.
        Map<String, String> outerHeaders = headers(
                "x-datadog-trace-id", "7298014646913713143", "x-datadog-parent-id", "1",
                "x-datadog-tags", "_dd.p.dm=-1", "x-datadog-origin", "rum",
                "traceparent", "00-00000000000000006547c1a7a2e3c3f7-00f067aa0ba902b7-01",
                "tracestate", "dd=s:1;p:0000000000000001,rojo=1", "baggage", "user.id=outer");
        Map<String, String> innerHeaders = headers(
                "x-datadog-trace-id", "3", "x-datadog-parent-id", "4", "x-datadog-sampling-priority", "2",
                "traceparent", "00-0000000000000000000000000000000c-000000000000000d-00",
                "baggage", "user.id=inner");
        RemoteContext outerAlone = extractNonNull(tracer, outerHeaders);
        RemoteContext innerAlone = extractNonNull(tracer, innerHeaders);
        RemoteContext[] inner = new RemoteContext[1];
        RemoteContext outer = (RemoteContext) tracer.extract(name -> {
            if (name.equals("traceparent") && inner[0] == null) {
                inner[0] = Carrier.extract(tracer, innerHeaders);
            }
            return outerHeaders.get(name);
        });
        assertEquals(outerAlone, outer, "the outer extraction");
        assertEquals(innerAlone, inner[0], "the inner extraction");
        assertEquals(outerAlone, extractNonNull(tracer, outerHeaders), "the next extraction on the thread");
    }

    @Test
    void w3cFirstWhenConfiguredFirst() {
        try (CloseableTracer w3cFirst = Carrier.tracer(traces, "dd.trace.propagation.style",
                "tracecontext,datadog")) {
            RemoteContext context = extractNonNull(w3cFirst, headers(
                    "x-datadog-trace-id", "1", "x-datadog-parent-id", "2",
                    "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", context.traceId());
            assertEquals(List.of(new SpanLinkData(0, 1, 2,
                    Map.of("reason", "terminated_context", "context_headers", "datadog"), null, 0)),
                    context.spanLinks(), "no priority in the Datadog headers: no flags");
        }
    }

    @Test
    void extractFirstStopsAtTheFirstContext() {
        try (CloseableTracer first = Carrier.tracer(traces, "dd.trace.propagation.extract.first", "true")) {
            RemoteContext context = extractNonNull(first, headers(
                    "x-datadog-trace-id", "1", "x-datadog-parent-id", "2",
                    "traceparent", "00-00000000000000000000000000000001-00f067aa0ba902b7-01"));
            assertEquals("0000000000000002", context.spanId(), "W3C is not consulted");
            assertNull(context.propagationTags().get("_dd.parent_id"));
        }
    }

    @Test
    void anInvalidFirstStyleLetsTheNextWinWithoutErrors() {
        RemoteContext context = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "abc", "x-datadog-parent-id", "2", "x-datadog-tags", "_dd.p.dm=bad",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", context.traceId());
        assertEquals(List.of(), context.spanLinks());
        assertFalse(context.propagationTags().containsKey("_dd.propagation_error"));
    }

    @Test
    void propagationErrorsAndParentIdLandOnTheLocalRoot() {
        RemoteContext context = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "1", "x-datadog-parent-id", "2", "x-datadog-tags", "_dd.p.dm=x"));
        FinishedSpan server = continueTrace(context);
        assertEquals("decoding_error", server.tag("_dd.propagation_error"));
        assertEquals("0000000000000002", server.parentId());
    }

    @Test
    void baggageJoinsTheWinningContextAndSelectedKeysBecomeTags() {
        RemoteContext context = extractNonNull(tracer, headers(
                "x-datadog-trace-id", "1", "x-datadog-parent-id", "2",
                "baggage", "user.id=alice,cart=3%20items"));
        assertEquals(Map.of("user.id", "alice", "cart", "3 items"), context.baggage());
        FinishedSpan server = continueTrace(context);
        assertEquals("alice", server.tag("baggage.user.id"));
        assertNull(server.tag("baggage.cart"), "only dd.trace.baggage.tag.keys become tags");
    }
}
