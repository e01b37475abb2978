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
 * Span start + finish on the hot path: {@code tracer.trace(..).finish()}, the trace handed to the
 * writer. {@code settings=default} is what a user gets: log injection on (Logback is on this class
 * path, so log correlation works at log time) and the Agent writer (its queue; no Agent listens here,
 * so its worker's sends fail and the queue drops, counted). The other rows switch one default off:
 * {@code dd.logs.injection=false}, and {@code dd.trace.writer=none} (a writer that drops each chunk,
 * to see the span alone, as the first wave's figures did).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanBenchmark {

    /** {@code default}, or comma-separated {@code key=value} settings over the defaults. */
    @Param({"default", "dd.logs.injection=false", "dd.trace.writer=none",
            "dd.logs.injection=false,dd.trace.writer=none"})
    public String settings;

    private static final Map<String, Object> EVENT_ATTRIBUTES = Map.of("attempt", 2, "host", "db-1");

    private CloseableTracer tracer;

    @Setup
    public void setUp() {
        TracerBuilder builder = TracerBuilder.create().ignoreEnvironment().config("dd.service", "bench");
        for (String[] setting : Settings.parse(settings)) {
            builder.config(setting[0], setting[1]);
        }
        tracer = builder.build();
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
