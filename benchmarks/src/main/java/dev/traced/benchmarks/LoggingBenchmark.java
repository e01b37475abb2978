package dev.traced.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
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
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
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
    private Logger logger;
    private OutputStreamAppender<ILoggingEvent> appender;
    private long counter;

    @Setup
    public void setUp() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d %-5level [%thread] %logger{36} dd.trace_id=%X{dd.trace_id} dd.span_id=%X{dd.span_id} - %msg%n");
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(OutputStream.nullOutputStream());
        appender.start();
        logger = context.getLogger("bench.logging");
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);

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
        logger.detachAppender(appender);
        appender.stop();
        tracer.close();
    }

    @Benchmark
    public void logLine() {
        logger.info("order {} placed", counter++);
    }
}
