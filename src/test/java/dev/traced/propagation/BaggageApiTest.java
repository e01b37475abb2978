package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.TracerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.traced.propagation.Carrier.extractNonNull;
import static dev.traced.propagation.Carrier.headers;
import static dev.traced.propagation.Carrier.inject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Baggage from code: {@code setBaggageItem}/{@code getBaggageItem}, ddtrace's form, and what goes out. */
class BaggageApiTest {

    private final InMemoryTraces traces = new InMemoryTraces();
    private final CloseableTracer tracer = Carrier.tracer(traces);

    @AfterEach
    void close() {
        tracer.close();
    }

    @Test
    void itemsSetOnASpanBelongToItsTraceAndGoOutWithEveryLaterCall() {
        try (Span root = tracer.trace("root")) {
            root.setBaggageItem("user.id", "alice");
            try (Span child = tracer.trace("child")) {
                assertEquals("alice", child.getBaggageItem("user.id"), "the trace's items, seen from a child");
                child.setBaggageItem("cart", "3 items, 1 sandwich");
            }
            assertEquals(Map.of("user.id", "alice", "cart", "3 items, 1 sandwich"), root.baggage(),
                    "shared by the trace, as ddtrace's context shares it");
            assertEquals("alice", root.context().getBaggageItem("user.id"));
            Span call = tracer.trace("http.request");
            Map<String, String> headers = inject(tracer, call.context());
            call.finish();
            assertEquals("user.id=alice,cart=3%20items%2C%201%20sandwich", headers.get("baggage"));
        }
    }

    @Test
    void nullOrRemoveDropsAnItemAndTheMapIsReadOnly() {
        try (Span span = tracer.trace("root")) {
            span.setBaggageItem("a", "1").setBaggageItem("b", "2");
            span.setBaggageItem("a", null);
            span.removeBaggageItem("b");
            span.setBaggageItem(null, "x").setBaggageItem("", "x");
            assertEquals(Map.of(), span.baggage());
            assertNull(span.getBaggageItem("a"));
            assertNull(span.getBaggageItem(null));
            span.setBaggageItem("c", "3");
            assertThrows(UnsupportedOperationException.class, () -> span.baggage().put("d", "4"));
            assertTrue(inject(tracer, span.context()).containsKey("baggage"));
        }
    }

    @Test
    void extractedItemsAreReadableAndCanBeChanged() {
        SpanContext parent = extractNonNull(tracer, headers("traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "baggage", "user.id=bob,tier=gold"));
        assertEquals("bob", parent.getBaggageItem("user.id"));
        assertEquals(Map.of("user.id", "bob", "tier", "gold"), parent.baggage());
        try (Span server = tracer.spanBuilder("server").parent(parent).start()) {
            server.setBaggageItem("tier", "platinum");
            assertEquals("user.id=bob,tier=platinum", inject(tracer, server.context()).get("baggage"));
        }
        assertEquals("gold", parent.getBaggageItem("tier"), "the extracted context itself does not change");
    }

    @Test
    void aTraceKeepsAtMostMaxItems() {
        try (CloseableTracer small = TracerBuilder.create().ignoreEnvironment().inMemory(traces)
                .config("dd.trace.baggage.max.items", "2").build();
             Span span = small.trace("root")) {
            span.setBaggageItem("a", "1").setBaggageItem("b", "2").setBaggageItem("c", "3");
            span.setBaggageItem("a", "changed");
            assertEquals(List.of("a", "b"), List.copyOf(span.baggage().keySet()));
            assertEquals("changed", span.getBaggageItem("a"));
        }
    }

    @Test
    void settersAfterFinishAreIgnored() {
        Span span = tracer.trace("root");
        span.finish();
        span.setBaggageItem("late", "1");
        assertNull(span.getBaggageItem("late"));
    }

    @Test
    void aDisabledTracerHasNoBaggage() {
        try (CloseableTracer off = TracerBuilder.create().ignoreEnvironment().config("dd.trace.enabled", "false")
                .build(); Span span = off.trace("x")) {
            span.setBaggageItem("a", "1");
            assertEquals(Map.of(), span.baggage());
            assertNull(span.getBaggageItem("a"));
        }
    }
}
