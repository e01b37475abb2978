package dev.traced.docs.spans;

import dev.traced.Span;
import dev.traced.Tracer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** creating-spans.md, Span links and span events. */
public class OrderBatch {

    private final Tracer tracer;

    public OrderBatch(Tracer tracer) {
        this.tracer = tracer;
    }

    public void run(Span firstOrder, Span secondOrder) {
        // tag::links-and-events[]
        // Links: on the builder, or on a started span (before finish)
        try (Span batch = tracer.spanBuilder("orders.batch")
                .link(firstOrder.context(), Map.of("reason", "batched"))
                .start()) {
            batch.addLink(secondOrder.context(), Map.of("reason", "batched")); // any SpanContext, e.g. tracer.extract(...)

            // Events: now, or at a given Instant
            batch.addEvent("retry", Map.of("attempt", 2, "backoff.ms", 200L, "codes", List.of(500, 503)));
            batch.addEvent("cache.miss", Map.of("key", "sandwich:42"), Instant.now());
        }
        // end::links-and-events[]
    }
}
