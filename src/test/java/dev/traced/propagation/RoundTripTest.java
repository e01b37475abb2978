package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inject, then extract, in every style: what one process writes the next one reads back. */
class RoundTripTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // style                          | headers written
        "datadog                          | x-datadog-trace-id x-datadog-parent-id x-datadog-sampling-priority x-datadog-tags",
        "tracecontext                     | traceparent tracestate",
        "b3multi                          | x-b3-traceid x-b3-spanid x-b3-sampled",
        "b3                               | x-b3-traceid x-b3-spanid x-b3-sampled",
        "b3single                         | b3",
        "b3 single header                 | b3",
        "datadog,tracecontext,baggage     | x-datadog-trace-id x-datadog-parent-id x-datadog-sampling-priority x-datadog-tags traceparent tracestate",
    })
    void localSpanRoundTrips(String style, String expectedHeaders) {
        try (CloseableTracer tracer = Carrier.tracer("dd.trace.propagation.style", style)) {
            Span span = tracer.trace("client");
            Map<String, String> headers = inject(tracer, span.context());
            span.finish();
            assertEquals(expectedHeaders, String.join(" ", headers.keySet()));

            RemoteContext context = extractNonNull(tracer, headers);
            assertEquals(span.context().traceId(), context.traceId(), "128-bit trace id survives " + style);
            assertEquals(span.context().spanId(), context.spanId(), "the injected span is the parent");
            assertEquals(1, context.samplingPriority());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"datadog", "tracecontext"})
    void priorityOriginAndTagsTravelThroughThreeServices(String style) {
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = Carrier.tracer(traces, "dd.trace.propagation.style", style)) {
            // Service A: a synthetics request, kept by the user.
            RemoteContext fromA = new RemoteContext(0x640cfd8d00000000L, 42, 7, 2, "synthetics",
                    Map.of("_dd.p.dm", "-4", "_dd.p.usr.id", "baz64"), null, Map.of(), null);
            Map<String, String> toB = inject(tracer, fromA);
            // Service B continues and calls C from a client span.
            RemoteContext inB = extractNonNull(tracer, toB);
            Span server = tracer.spanBuilder("b.server").parent(inB).start();
            Span client = tracer.trace("b.client");
            Map<String, String> toC = inject(tracer, client.context());
            client.finish();
            server.finish();
            RemoteContext inC = extractNonNull(tracer, toC);

            assertEquals("640cfd8d00000000000000000000002a", inC.traceId());
            assertEquals(client.context().spanId(), inC.spanId());
            assertEquals(2, inC.samplingPriority());
            assertEquals("synthetics", inC.origin());
            assertEquals("-4", inC.propagationTags().get("_dd.p.dm"));
            assertEquals("baz64", inC.propagationTags().get("_dd.p.usr.id"));
        }
        FinishedSpan server = traces.span("b.server");
        assertEquals("0000000000000007", server.parentId());
        assertEquals("synthetics", server.tag("_dd.origin"));
    }

    @Test
    void aProxyPassesARemoteContextOnUnchanged() {
        try (CloseableTracer tracer = Carrier.tracer()) {
            Map<String, String> incoming = headers(
                    "x-datadog-trace-id", "7298014646913713143", "x-datadog-parent-id", "5208512171318403364",
                    "x-datadog-sampling-priority", "2", "x-datadog-origin", "rum",
                    "x-datadog-tags", "_dd.p.dm=-4,_dd.p.tid=9291375655657946",
                    "traceparent", "00-92913756556579466547c1a7a2e3c3f7-48485a3953bb6124-01",
                    "tracestate", "dd=s:2;o:rum;p:48485a3953bb6124;t.dm:-4;t.tid:9291375655657946,rojo=1",
                    "baggage", "user.id=alice");
            Map<String, String> outgoing = inject(tracer, extractNonNull(tracer, incoming));
            assertEquals(incoming, outgoing);
        }
    }

    @Test
    void baggageRoundTripsWithEncoding() {
        try (CloseableTracer tracer = Carrier.tracer()) {
            Map<String, String> baggage = new java.util.LinkedHashMap<>();
            baggage.put("user.id", "Amélie");
            baggage.put("key with space", "a,b;c=d%e\"f\\g");
            baggage.put("emoji", "\uD83D\uDE00");
            RemoteContext parent = new RemoteContext(0, 1, 2, 1, null, null, null, baggage, null);
            Map<String, String> headers = inject(tracer, parent);
            assertEquals("user.id=Am%C3%A9lie,key%20with%20space=a%2Cb%3Bc=d%25e%22f%5Cg,emoji=%F0%9F%98%80",
                    headers.get("baggage"));
            assertEquals(baggage, extractNonNull(tracer, headers).baggage());
        }
    }

    @Test
    void noneInjectsAndExtractsNothing() {
        try (CloseableTracer tracer = Carrier.tracer("dd.trace.propagation.style", "none")) {
            Span span = tracer.trace("client");
            assertTrue(inject(tracer, span.context()).isEmpty());
            span.finish();
            assertNull(extract(tracer, headers("x-datadog-trace-id", "1", "x-datadog-parent-id", "2")));
        }
    }
}
