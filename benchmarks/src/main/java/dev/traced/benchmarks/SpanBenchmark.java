package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Span start + finish on the hot path: {@code tracer.trace(..).finish()} with a writer that only
 * drops the chunk (the writer's own cost is measured by the encoder and writer benchmarks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanBenchmark {

    /**
     * Log correlation: with Logback on the class path every change of the active span updates the
     * MDC; {@code false} measures the span alone (the figure compared with other tracers).
     */
    @Param({"false", "true"})
    public String logsInjection;

    private static final Map<String, Object> EVENT_ATTRIBUTES = Map.of("attempt", 2, "host", "db-1");

    private CloseableTracer tracer;

    @Setup
    public void setUp() {
        tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench")
                .config("dd.trace.writer", "none")
                .config("dd.logs.injection", logsInjection)
                .build();
    }

    @TearDown
    public void tearDown() {
        tracer.close();
    }

    /** A one-span trace: start, finish, trace complete and handed to the writer. */
    @Benchmark
    public void startFinish() {
        tracer.trace("bench.op").finish();
    }

    /** A one-span trace with one span event of two attributes: what {@code addEvent} adds. */
    @Benchmark
    public void startEventFinish() {
        Span span = tracer.trace("bench.op");
        span.addEvent("retry", EVENT_ATTRIBUTES);
        span.finish();
    }

    /** A child span in an open trace: start and finish. */
    @Benchmark
    public void startFinishChild(ChildState state) {
        tracer.trace("bench.child").finish();
    }

    /** Keeps one root span open so that every measured span is a child. */
    @State(Scope.Thread)
    public static class ChildState {
        Span root;

        @Setup(Level.Iteration)
        public void open(SpanBenchmark bench) {
            root = bench.tracer.trace("bench.root");
        }

        @TearDown(Level.Iteration)
        public void close() {
            root.finish();
        }
    }
}
