package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.writer.AgentWriter;
import dev.traced.testagent.TestAgent;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/** Builds tracers that write to a {@link TestAgent}, with short intervals and timeouts. */
final class WriterTestSupport {

    static final Duration WAIT = Duration.ofSeconds(20);

    private WriterTestSupport() {
    }

    static CloseableTracer tracer(String agentUrl, Map<String, String> extra) {
        TracerBuilder builder = TracerBuilder.create().ignoreEnvironment()
                .config("dd.trace.agent.url", agentUrl)
                .config("dd.service", "sandwich-shop")
                .config("dd.env", "test")
                .config("dd.version", "1.2.3")
                .config("dd.trace.agent.timeout", "10")
                .config("dd.trace.flush.interval", "0.05");
        builder.config(extra);
        return builder.build();
    }

    static CloseableTracer tracer(TestAgent agent, Map<String, String> extra) {
        return tracer(agent.url(), extra);
    }

    static AgentWriter writer(CloseableTracer tracer) {
        return (AgentWriter) ((CoreTracer) tracer).writer();
    }

    /** Finishes {@code count} one-span traces named {@code name}, on the calling (application) thread. */
    static void finishTraces(CloseableTracer tracer, String name, int count) {
        for (int i = 0; i < count; i++) {
            Span span = tracer.trace(name);
            span.setTag("i", i);
            span.finish();
        }
    }

    /** Polls until {@code value} reaches {@code expected}; fails after {@link #WAIT}. */
    static void awaitValue(String what, long expected, LongSupplier value) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (value.getAsLong() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": expected " + expected + ", got " + value.getAsLong());
            }
            Thread.sleep(10);
        }
    }
}
