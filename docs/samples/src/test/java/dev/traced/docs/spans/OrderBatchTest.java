package dev.traced.docs.spans;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** creating-spans.md, Span links and span events: the sample runs and records what the page says. */
class OrderBatchTest {

    @Test
    void recordsTwoLinksAndTwoEvents() {
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment().inMemory(traces).build()) {
            Span first = tracer.spanBuilder("order").noParent().startInactive();
            Span second = tracer.spanBuilder("order").noParent().startInactive();
            new OrderBatch(tracer).run(first, second);
            first.finish();
            second.finish();
        }
        FinishedSpan batch = traces.span("orders.batch");
        assertEquals(2, batch.links().size());
        assertEquals(Map.of("reason", "batched"), batch.links().get(0).attributes());
        assertEquals(List.of("retry", "cache.miss"), batch.events().stream().map(FinishedSpan.Event::name).toList());
        assertEquals(List.of(500L, 503L), batch.events().get(0).attributes().get("codes"));
    }
}
