package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.encoding.EncodedPayload;
import dev.traced.internal.encoding.TraceEncoder;
import dev.traced.internal.trace.CoreSpan;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * msgpack v0.4 encoding on one thread: one operation is one span. Each invocation encodes
 * {@value #TRACES} finished one-span traces into the encoder's reusable buffer and empties it, as
 * the writer's thread does. {@code -prof gc} gives the bytes allocated per span
 * ({@code gc.alloc.rate.norm}); the setup prints the bytes per span on the wire.
 *
 * <ul>
 *   <li>{@code bare}: a one-span trace as {@code tracer.trace("op").finish()} makes it (about 10
 *       tags: env, version, language, runtime-id, thread, process id, sampling, _dd.p.*).</li>
 *   <li>{@code web}: the same plus a resource, type and six HTTP tags.</li>
 *   <li>{@code linksEvents}: {@code bare} plus one span link and two span events (three attributes
 *       each), the events in the {@code events} tag (JSON), as for an Agent that does not announce
 *       {@code span_events}.</li>
 *   <li>{@code linksEventsNative}: the same, the events in {@code span_events}.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncoderBenchmark {

    static final int TRACES = 1000;

    @Param({"bare", "web", "linksEvents", "linksEventsNative"})
    public String shape;

    private final List<List<CoreSpan>> chunks = new ArrayList<>();
    private final TraceEncoder encoder = new TraceEncoder();
    private final Consumer<EncodedPayload> ignoreFull = payload -> { };

    @Setup
    public void setUp() {
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench").config("dd.env", "prod").config("dd.version", "1.0")
                .inMemory(traces).build()) {
            for (int i = 0; i < TRACES; i++) {
                Span span = tracer.trace("servlet.request");
                if (shape.equals("web")) {
                    span.setResource("GET /sandwich/{id}");
                    span.setSpanType("web");
                    span.setTag("span.kind", "server");
                    span.setTag("component", "jax-rs");
                    span.setTag("http.method", "GET");
                    span.setTag("http.url", "http://localhost:8080/sandwich/" + i);
                    span.setTag("http.route", "/sandwich/{id}");
                    span.setTag("http.status_code", 200);
                }
                if (shape.startsWith("linksEvents")) {
                    span.addLink(span.context(), Map.of("reason", "batch"));
                    span.addEvent("retry", Map.of("attempt", 2, "ok", false, "host", "db-1"));
                    span.addEvent("cache.miss", Map.of("key", "sandwich:" + i, "ratio", 0.5, "codes", List.of(1, 2)));
                }
                span.finish();
            }
        }
        encoder.nativeSpanEvents(shape.equals("linksEventsNative"));
        for (List<FinishedSpan> trace : traces.traces()) {
            List<CoreSpan> chunk = new ArrayList<>();
            for (FinishedSpan span : trace) {
                chunk.add((CoreSpan) span);
            }
            chunks.add(chunk);
        }
        encodeAll();
        System.out.printf("%n[%s] bytes per span on the wire: %.1f%n", shape,
                (double) encoder.sizeBytes() / encoder.spanCount());
        encoder.reset();
    }

    @Benchmark
    @OperationsPerInvocation(TRACES)
    public int encode() {
        int size = encodeAll();
        encoder.reset();
        return size;
    }

    private int encodeAll() {
        for (int i = 0; i < chunks.size(); i++) {
            encoder.encode(chunks.get(i), ignoreFull);
        }
        return encoder.sizeBytes();
    }
}
