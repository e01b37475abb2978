package dev.traced.docs.spans;

import dev.traced.CloseableTracer;
import dev.traced.TracerBuilder;

/** creating-spans.md, Without a container. */
class BatchJob {

    void main() {
        // tag::without-container[]
        try (CloseableTracer tracer = TracerBuilder.create().config("dd.service", "sandwich-cli").build()) {
            tracer.run("batch.run", span -> runBatch());
        }   // close() delivers the last traces
        // end::without-container[]
    }

    private void runBatch() {
    }
}
