package dev.traced.benchmarks;

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

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The application thread's cost of finishing a traced web request (3 spans) with the Agent writer
 * and client-side stats on (the default, against an Agent that takes them) or off. Counting happens
 * on the writer's thread, so the two rows should differ by noise only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClientStatsBenchmark {

    @Param({"true", "false"})
    public String statsComputation;

    private LoopbackStatsAgent agent;
    private CloseableTracer tracer;
    private int i;

    @Setup
    public void setUp() throws Exception {
        agent = new LoopbackStatsAgent();
        tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench")
                .config("dd.logs.injection", "false")
                .config("dd.trace.sample.rate", "0.1")
                .config("dd.trace.stats.computation.enabled", statsComputation)
                .config("dd.trace.agent.url", agent.url())
                .build();
        tracer.trace("warm-up").finish();
        tracer.flush(Duration.ofSeconds(10)); // /info read: stats on from the writer's next run
    }

    @TearDown
    public void tearDown() {
        tracer.close();
        agent.close();
    }

    /** A server span with a client call and an internal step: start, finish, handed to the writer. */
    @Benchmark
    public void webRequest() {
        try (Span root = tracer.spanBuilder("web.request").resource((i++ & 1) == 0 ? "GET /menu" : "POST /order")
                .spanType("web").tag("span.kind", "server").tag("http.status_code", "200").start()) {
            tracer.spanBuilder("db.query").service("orders-db").spanType("sql").tag("span.kind", "client").start()
                    .finish();
            tracer.trace("render").finish();
        }
    }
}
