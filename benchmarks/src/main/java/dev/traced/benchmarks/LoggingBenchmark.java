package dev.traced.benchmarks;

import ch.qos.logback.classic.Logger;
import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One log line through Logback, formatted with the correlation keys ({@code %X{dd.trace_id}
 * %X{dd.span_id}}) and written to a null stream: {@code inSpan=false} logs with no span active,
 * {@code inSpan=true} inside an active span, so the difference is what log correlation adds to a line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoggingBenchmark {

    @Param({"false", "true"})
    public boolean inSpan;

    /** {@code dd.logs.injection}: the default (true), and off. */
    @Param({"true", "false"})
    public String logsInjection;

    private CloseableTracer tracer;
    private Span span;
    private NullStreamLog log;
    private Logger logger;
    private long counter;

    @Setup
    public void setUp() {
        log = new NullStreamLog("bench.logging");
        logger = log.logger();

        tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench").config("dd.env", "prod").config("dd.version", "1.0")
                .config("dd.trace.writer", "none").config("dd.logs.injection", logsInjection)
                .build();
        if (inSpan) {
            span = tracer.trace("bench.op");
        }
    }

    @TearDown
    public void tearDown() {
        if (span != null) {
            span.finish();
        }
        log.close();
        tracer.close();
    }

    @Benchmark
    public void logLine() {
        logger.info("order {} placed", counter++);
    }
}
