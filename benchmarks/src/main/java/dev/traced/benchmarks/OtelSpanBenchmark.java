package dev.traced.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK's span start + end, the shape {@link SpanBenchmark#startFinish} measures:
 * the span is made current (as {@code tracer.trace(..)} makes ours active), ended, and handed to a
 * span processor that drops it (as the {@code none} writer drops our traces). Run it in the same JMH
 * run as SpanBenchmark and compare the ratio.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OtelSpanBenchmark {

    private SdkTracerProvider provider;
    private Tracer tracer;

    @Setup
    public void setUp() {
        provider = SdkTracerProvider.builder().addSpanProcessor(new DroppingProcessor()).build();
        tracer = provider.get("bench");
    }

    @TearDown
    public void tearDown() {
        provider.close();
    }

    /** A one-span trace: start, make current, end, handed to the processor. */
    @Benchmark
    public void startEnd() {
        Span span = tracer.spanBuilder("bench.op").startSpan();
        try (Scope scope = span.makeCurrent()) {
            // the body
        } finally {
            span.end();
        }
    }

    /** Receives each ended span and drops it. */
    static final class DroppingProcessor implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
