package dev.traced.core;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.Tracer;
import dev.traced.TracerBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The code of the "Span links and span events" section of {@code docs/creating-spans.md}, compiled
 * and run: keep the two in step.
 */
class LinksAndEventsDocSamplesTest {

    @Test
    void theDocsSampleRecordsTwoLinksAndTwoEvents() {
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment().inMemory(traces).build()) {
            Span firstOrder = tracer.spanBuilder("order").noParent().startInactive();
            Span secondOrder = tracer.spanBuilder("order").noParent().startInactive();
            sample(tracer, firstOrder, secondOrder);
            firstOrder.finish();
            secondOrder.finish();
        }
        FinishedSpan batch = traces.span("orders.batch");
        assertEquals(2, batch.links().size());
        assertEquals(List.of("retry", "cache.miss"), batch.events().stream().map(FinishedSpan.Event::name).toList());
    }

    // ---- as in the docs -----------------------------------------------------------------------

    static void sample(Tracer tracer, Span firstOrder, Span secondOrder) {
        // Links: on the builder, or on a started span (before finish)
        try (Span batch = tracer.spanBuilder("orders.batch")
                .link(firstOrder.context(), Map.of("reason", "batched"))
                .start()) {
            batch.addLink(secondOrder.context(), Map.of("reason", "batched")); // any SpanContext, e.g. tracer.extract(...)

            // Events: now, or at a given Instant
            batch.addEvent("retry", Map.of("attempt", 2, "backoff.ms", 200L, "codes", List.of(500, 503)));
            batch.addEvent("cache.miss", Map.of("key", "sandwich:42"), Instant.now());
        }
    }
}
