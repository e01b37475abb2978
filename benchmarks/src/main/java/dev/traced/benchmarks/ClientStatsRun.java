package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.Tracer;
import dev.traced.TracerBuilder;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.writer.AgentWriter;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Client-side stats, what they save (not JMH): with {@code dd.trace.sample.rate=0.1}, 2 producer
 * threads create web requests of 3 spans (a server root, a client call to a database service, an
 * internal step) at a fixed total rate against a loopback Agent that takes client stats. After a
 * warm-up, prints per created span: the process's CPU time (the loopback Agent's threads left out)
 * and the bytes sent to the Agent (traces + stats).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.traced.benchmarks.ClientStatsRun on|off [seconds] [traces/s]</pre>
 *
 * {@code off} sets {@code dd.trace.stats.computation.enabled=false}: every trace is sent, as before
 * client-side stats. Run each in its own JVM, alternating, and compare.
 */
public final class ClientStatsRun {

    private static final String[] RESOURCES = {"GET /menu", "POST /order", "GET /order/{id}", "GET /health",
            "PUT /basket", "DELETE /basket/{id}", "GET /stores", "POST /login", "GET /profile", "GET /offers"};

    private ClientStatsRun() {
    }

    public static void main(String[] args) throws Exception {
        boolean stats = !(args.length > 0 && args[0].equals("off"));
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int threads = 2;
        try (LoopbackStatsAgent agent = new LoopbackStatsAgent()) {
            CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                    .config("dd.service", "shop").config("dd.env", "bench")
                    .config("dd.trace.sample.rate", "0.1")
                    .config("dd.trace.stats.computation.enabled", Boolean.toString(stats))
                    .config("dd.trace.agent.url", agent.url()).build();
            AgentWriter writer = (AgentWriter) ((CoreTracer) tracer).writer();

            LongAdder created = new LongAdder();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread[] producers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                producers[t] = new Thread(() -> produce(tracer, rate / threads, running, created), "app-" + t);
                producers[t].start();
            }
            Thread.sleep(3_000); // warm-up: JIT, /info discovery, first stats decision
            long spans0 = created.sum();
            long bytes0 = agent.traceBytes.get() + agent.statsBytes.get();
            long cpu0 = cpuWithoutAgent();
            long tracerCpu0 = ThreadCpu.nanos(name -> name.startsWith("app-") || name.startsWith("traced-"));
            long writerCpu0 = ThreadCpu.nanos(name -> name.startsWith("traced-"));
            long drops0 = writer.drops().totalTraces();
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long spans = created.sum() - spans0;
            long cpu = cpuWithoutAgent() - cpu0;
            long tracerCpu = ThreadCpu.nanos(name -> name.startsWith("app-") || name.startsWith("traced-")) - tracerCpu0;
            long writerCpu = ThreadCpu.nanos(name -> name.startsWith("traced-")) - writerCpu0;
            long drops = writer.drops().totalTraces() - drops0;
            String byThread = ThreadCpu.byGroup("%.2f");
            double elapsed = (System.nanoTime() - start) / 1e9;
            running.set(false);
            for (Thread producer : producers) {
                producer.join();
            }
            tracer.flush(java.time.Duration.ofSeconds(10)); // also sends the stats counted so far
            // The bytes of the window; stats of the window may be sent just after it (every 10 s), so
            // the flushed stats count too: an upper bound for "on".
            long bytes = agent.traceBytes.get() + agent.statsBytes.get() - bytes0;
            System.out.printf("stats=%s threads=%d rate=%,d traces/s seconds=%.1f active=%s%n", stats ? "on" : "off",
                    threads, rate, elapsed, writer.stats().active());
            System.out.printf("spans created: %,d (%,.0f/s)%n", spans, spans / elapsed);
            System.out.printf("CPU per created span: %.0f ns on the application and tracer threads (%.2f s); "
                    + "%.0f ns for the whole process without the loopback Agent (%.2f s, with JIT and GC)%n",
                    (double) tracerCpu / spans, tracerCpu / 1e9, (double) cpu / spans, cpu / 1e9);
            System.out.printf("of which on the writer's threads (traced-*): %.0f ns (%.2f s)%n",
                    (double) writerCpu / spans, writerCpu / 1e9);
            System.out.printf("traces dropped during the window (rejected and not sent included): %,d%n", drops);
            System.out.printf("bytes to the Agent per created span: %.1f (traces %,d B total, stats %,d B in %d "
                    + "payloads)%n", (double) bytes / spans, agent.traceBytes.get(), agent.statsBytes.get(),
                    agent.statsPayloads.get());
            System.out.println("CPU seconds by thread group since start: " + byThread);
            System.out.println(writer.drops());
            tracer.close();
        }
    }

    private static void produce(Tracer tracer, int perSecond, AtomicBoolean running, LongAdder created) {
        long periodNanos = TimeUnit.MILLISECONDS.toNanos(1);
        int perPeriod = Math.max(1, perSecond / 1000);
        long next = System.nanoTime();
        int i = 0;
        while (running.get()) {
            for (int n = 0; n < perPeriod; n++, i++) {
                try (Span root = tracer.spanBuilder("web.request").resource(RESOURCES[i % RESOURCES.length])
                        .spanType("web").tag("span.kind", "server").tag("http.status_code", i % 50 == 0 ? "500" : "200")
                        .start()) {
                    tracer.spanBuilder("db.query").service("orders-db").resource("SELECT * FROM orders WHERE id = ?")
                            .spanType("sql").tag("span.kind", "client").tag("peer.hostname", "db-1").start().finish();
                    tracer.trace("render").finish();
                    if (i % 50 == 0) {
                        root.setError(true);
                    }
                }
            }
            created.add(3L * perPeriod);
            next += periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }
    /** CPU time of the process so far, less the loopback Agent's threads (which stand for another process). */
    private static long cpuWithoutAgent() {
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long agent = ThreadCpu.nanos(name -> name.startsWith(LoopbackStatsAgent.THREAD_NAME)
                || name.startsWith("HTTP-Dispatcher"));
        return process - agent;
    }
}
