package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A change of the active span (a child becomes active over its parent, then the parent is active
 * again), with Logback on the class path. Log correlation used to write {@code dd.span_id} to the MDC
 * at each change; now Logback's events read the ids when a line is logged, so {@code injection=true}
 * (the default) should cost the same as {@code false}. Figures are per change
 * ({@code @OperationsPerInvocation(2)}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MdcBenchmark {

    @Param({"true", "false"})
    public String injection;

    private CloseableTracer tracer;
    private CoreTracer core;
    private Span root;
    private CoreSpan child;

    @Setup
    public void setUp() {
        tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench").config("dd.env", "prod").config("dd.version", "1.0")
                .config("dd.trace.writer", "none").config("dd.logs.injection", injection)
                .build();
        core = (CoreTracer) tracer;
        root = tracer.trace("bench.root");
        child = (CoreSpan) tracer.spanBuilder("bench.child").startInactive();
    }

    @TearDown
    public void tearDown() {
        child.finish();
        root.finish();
        tracer.close();
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void childActiveThenParentAgain() {
        core.activate(child);
        core.deactivate(child);
    }
}
