package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.TracerBuilder;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
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

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * traced's propagation beside OpenTelemetry's ({@code W3CTraceContextPropagator} +
 * {@code W3CBaggagePropagator}, the API artifacts only) in one JMH run, on the same headers and the
 * same {@code HashMap} carrier:
 * <ul>
 *   <li>{@code w3c*}: traced configured with {@code tracecontext,baggage}, the same work as OpenTelemetry's;</li>
 *   <li>{@code otel*}: OpenTelemetry's composite propagator;</li>
 *   <li>{@code default*}: traced in its default styles ({@code datadog,tracecontext,baggage}), the headers
 *       of one consistent trace as dd-trace-java sends them.</li>
 * </ul>
 * Inject writes the context of a span continuing the extracted trace (so its tracestate and baggage
 * go out again) into a map that is cleared first; the carrier's accessors are made once, so only the
 * propagators' own work is measured.
 *
 * <p>{@code w3cInject} and {@code defaultInject} inject the same span again and again: a trace keeps the
 * text of its tags and baggage from its second call on, so they measure a trace's second and later
 * calls. A trace's first call (what a service making one call per request pays) is
 * {@code *SpanInjectFirst} minus {@code *Span}: a new span continuing the extracted context (a new
 * local trace carrying its tags, tracestate and baggage), injected once and finished, against the same
 * span finished without injection. OpenTelemetry's propagators keep nothing per trace: {@code otelInject}
 * is its first and its later calls alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PropagationComparisonBenchmark {

    static final String TRACEPARENT = "00-92913756556579466547c1a7a2e3c3f7-48485a3953bb6124-01";
    static final String TRACESTATE = "dd=s:1;p:48485a3953bb6124;t.dm:-1;t.tid:9291375655657946,"
            + "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";
    static final String BAGGAGE = "user.id=alice,session.id=7f3a9c2e,account.id=acme%20corp";

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
    private static final TextMapSetter<Map<String, String>> SETTER = Map::put;

    private final Map<String, String> w3cHeaders = new HashMap<>();
    private final Map<String, String> defaultHeaders = new HashMap<>();
    private final Map<String, String> out = new HashMap<>();
    private final Function<String, String> w3cGetter = w3cHeaders::get;
    private final Function<String, String> defaultGetter = defaultHeaders::get;
    private final BiConsumer<String, String> putter = out::put;

    private CloseableTracer w3cTracer;
    private CloseableTracer defaultTracer;
    private Span w3cSpan;
    private Span defaultSpan;
    private SpanContext w3cParent;
    private SpanContext defaultParent;
    private TextMapPropagator otel;
    private Context otelContext;

    @Setup
    public void setUp() {
        w3cHeaders.put("traceparent", TRACEPARENT);
        w3cHeaders.put("tracestate", TRACESTATE);
        w3cHeaders.put("baggage", BAGGAGE);
        defaultHeaders.putAll(w3cHeaders);
        defaultHeaders.put("x-datadog-trace-id", "7298014646913713143");
        defaultHeaders.put("x-datadog-parent-id", "5208512171318403364");
        defaultHeaders.put("x-datadog-sampling-priority", "1");
        defaultHeaders.put("x-datadog-tags", "_dd.p.dm=-1,_dd.p.tid=9291375655657946");

        w3cTracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench")
                .config("dd.trace.writer", "none")
                .config("dd.trace.propagation.style", "tracecontext,baggage")
                .build();
        defaultTracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench")
                .config("dd.trace.writer", "none")
                .build();
        w3cParent = w3cTracer.extract(w3cGetter);
        defaultParent = defaultTracer.extract(defaultGetter);
        w3cSpan = w3cTracer.spanBuilder("bench.client").parent(w3cParent).startInactive();
        defaultSpan = defaultTracer.spanBuilder("bench.client").parent(defaultParent).startInactive();

        otel = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
                W3CBaggagePropagator.getInstance());
        otelContext = otel.extract(Context.root(), w3cHeaders, GETTER);
    }

    @TearDown
    public void tearDown() {
        w3cSpan.finish();
        defaultSpan.finish();
        w3cTracer.close();
        defaultTracer.close();
    }

    @Benchmark
    public SpanContext w3cExtract() {
        return w3cTracer.extract(w3cGetter);
    }

    @Benchmark
    public Context otelExtract() {
        return otel.extract(Context.root(), w3cHeaders, GETTER);
    }

    @Benchmark
    public Map<String, String> w3cInject() {
        out.clear();
        w3cTracer.inject(w3cSpan.context(), putter);
        return out;
    }

    @Benchmark
    public Map<String, String> otelInject() {
        out.clear();
        otel.inject(otelContext, out, SETTER);
        return out;
    }

    @Benchmark
    public SpanContext defaultExtract() {
        return defaultTracer.extract(defaultGetter);
    }

    @Benchmark
    public Map<String, String> defaultInject() {
        out.clear();
        defaultTracer.inject(defaultSpan.context(), putter);
        return out;
    }

    /** A new span continuing the extracted trace, finished without injection: the base of {@link #w3cSpanInjectFirst}. */
    @Benchmark
    public Span w3cSpan() {
        Span span = w3cTracer.spanBuilder("bench.client").parent(w3cParent).startInactive();
        span.finish();
        return span;
    }

    /** The same span injected once, its trace's first call: minus {@link #w3cSpan}, a first injection. */
    @Benchmark
    public Map<String, String> w3cSpanInjectFirst() {
        out.clear();
        Span span = w3cTracer.spanBuilder("bench.client").parent(w3cParent).startInactive();
        w3cTracer.inject(span.context(), putter);
        span.finish();
        return out;
    }

    /** A new span continuing the extracted trace, finished without injection: the base of {@link #defaultSpanInjectFirst}. */
    @Benchmark
    public Span defaultSpan() {
        Span span = defaultTracer.spanBuilder("bench.client").parent(defaultParent).startInactive();
        span.finish();
        return span;
    }

    /** The same span injected once, its trace's first call: minus {@link #defaultSpan}, a first injection. */
    @Benchmark
    public Map<String, String> defaultSpanInjectFirst() {
        out.clear();
        Span span = defaultTracer.spanBuilder("bench.client").parent(defaultParent).startInactive();
        defaultTracer.inject(span.context(), putter);
        span.finish();
        return out;
    }
}
