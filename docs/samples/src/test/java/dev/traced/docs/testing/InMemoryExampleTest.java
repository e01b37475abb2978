package dev.traced.docs.testing;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.TracerBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** testing.md, without a container: the sample is a test, so it is known to pass. */
class InMemoryExampleTest {

    @Test
    void recordsTheSpanInMemory() {
        // tag::in-memory[]
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment().inMemory(traces).build()) {
            tracer.run("sandwich.make", span -> span.setTag("order.id", "42"));
        }
        FinishedSpan span = traces.span("sandwich.make");
        assertEquals("42", span.meta().get("order.id"));
        // end::in-memory[]
    }
}
