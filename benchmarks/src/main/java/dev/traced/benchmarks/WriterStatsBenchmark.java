package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.config.Config;
import dev.traced.internal.encoding.EncodedPayload;
import dev.traced.internal.encoding.TraceEncoder;
import dev.traced.internal.stats.ClientStats;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.transport.AgentApi.AgentInfo;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The writer thread's work per span, client-side stats on or off, with {@code dd.trace.sample.rate=0.1}:
 * one operation is one span of a 3-span web request (a server root, a client call to a database
 * service, an internal step). {@code on}: every trace is counted, the rejected ones dropped and the
 * rest encoded; {@code off}: every trace is encoded, as before client-side stats. The stats are not
 * sent here (one payload every 10 s is noise next to this).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WriterStatsBenchmark {

    static final int TRACES = 1000;
    private static final String[] RESOURCES = {"GET /menu", "POST /order", "GET /order/{id}", "GET /health",
            "PUT /basket", "DELETE /basket/{id}", "GET /stores", "POST /login", "GET /profile", "GET /offers"};

    @Param({"on", "off"})
    public String stats;

    private final List<List<CoreSpan>> chunks = new ArrayList<>();
    private final TraceEncoder encoder = new TraceEncoder();
    private final Consumer<EncodedPayload> ignoreFull = payload -> { };
    private ClientStats clientStats;
    private int spans;

    @Setup
    public void setUp() {
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "shop").config("dd.env", "prod").config("dd.trace.sample.rate", "0.1")
                .config("dd.trace.rate.limit", "1000000").inMemory(traces).build()) {
            for (int i = 0; i < TRACES; i++) {
                try (Span root = tracer.spanBuilder("web.request").resource(RESOURCES[i % RESOURCES.length])
                        .spanType("web").tag("span.kind", "server").tag("http.status_code", "200").start()) {
                    tracer.spanBuilder("db.query").service("orders-db").resource("SELECT * FROM orders WHERE id = ?")
                            .spanType("sql").tag("span.kind", "client").tag("peer.hostname", "db-1").start().finish();
                    tracer.trace("render").finish();
                }
            }
        }
        for (List<FinishedSpan> trace : traces.traces()) {
            List<CoreSpan> chunk = new ArrayList<>();
            for (FinishedSpan span : trace) {
                chunk.add((CoreSpan) span);
            }
            chunks.add(chunk);
            spans += chunk.size();
        }
        clientStats = ClientStats.fromConfig(Config.of(Map.of("dd.trace.stats.computation.enabled",
                Boolean.toString(stats.equals("on")))), Duration.ofSeconds(10));
        clientStats.refresh(new AgentInfo(true, List.of("/v0.4/traces", "/v0.6/stats"), List.of("peer.hostname"),
                List.of("server", "client", "producer", "consumer"), false), null, Runnable::run);
        int encoded = 0;
        for (List<CoreSpan> chunk : chunks) {
            if (clientStats.admit(chunk)) {
                encoder.encode(chunk, ignoreFull);
                encoded++;
            }
        }
        System.out.printf("%n[stats %s] traces encoded: %d of %d; bytes on the wire per created span: %.1f%n", stats,
                encoded, chunks.size(), (double) encoder.sizeBytes() / spans);
        encoder.reset();
    }

    /** The writer's work for {@value #TRACES} traces (3,000 spans); the figure is per span. */
    @Benchmark
    @OperationsPerInvocation(3 * TRACES)
    public int writerWork() {
        for (int i = 0; i < chunks.size(); i++) {
            List<CoreSpan> chunk = chunks.get(i);
            if (clientStats.admit(chunk)) {
                encoder.encode(chunk, ignoreFull);
            }
        }
        int size = encoder.sizeBytes();
        encoder.reset();
        return size;
    }
}
