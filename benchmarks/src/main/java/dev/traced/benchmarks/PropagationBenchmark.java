package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.TracerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Header propagation in the default styles ({@code datadog,tracecontext,baggage}): extracting the
 * headers a Datadog-instrumented caller sends, injecting a span's context, and both, as a server that
 * calls another service does per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PropagationBenchmark {

    private CloseableTracer tracer;
    private Span span;
    /** Incoming headers as dd-trace-java 1.x sends them with the default styles, plus one baggage item. */
    private final Map<String, String> incoming = new HashMap<>();

    @Setup
    public void setUp() {
        tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench")
                .config("dd.trace.writer", "none")
                .build();
        incoming.put("x-datadog-trace-id", "7298014646913713143");
        incoming.put("x-datadog-parent-id", "5208512171318403364");
        incoming.put("x-datadog-sampling-priority", "1");
        incoming.put("x-datadog-tags", "_dd.p.dm=-1,_dd.p.tid=9291375655657946");
        incoming.put("traceparent", "00-92913756556579466547c1a7a2e3c3f7-48485a3953bb6124-01");
        incoming.put("tracestate", "dd=s:1;p:48485a3953bb6124;t.dm:-1;t.tid:9291375655657946");
        incoming.put("baggage", "user.id=alice");
        span = tracer.trace("bench.client");
    }

    @TearDown
    public void tearDown() {
        span.finish();
        tracer.close();
    }

    /** Reads the incoming headers into a remote context. */
    @Benchmark
    public SpanContext extract() {
        return tracer.extract(incoming::get);
    }

    /** Writes a local span's context as headers (the client span of an outgoing call). */
    @Benchmark
    public void inject(Blackhole blackhole) {
        tracer.inject(span.context(), (name, value) -> blackhole.consume(value));
    }

    /** Extract, then inject the extracted context (a proxy passing the trace on). */
    @Benchmark
    public void extractInject(Blackhole blackhole) {
        SpanContext context = tracer.extract(incoming::get);
        tracer.inject(context, (name, value) -> blackhole.consume(value));
    }
}
