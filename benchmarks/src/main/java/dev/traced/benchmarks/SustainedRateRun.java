package dev.traced.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.writer.AgentWriter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer under a paced load (not JMH), against a loopback Agent that decodes and accepts every
 * payload ({@link DeliveryRun#countingAgent}). Default settings (queue 1024, 1 s interval, 5 MiB).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.traced.benchmarks.SustainedRateRun ceiling [seconds-per-step]
 * java -cp benchmarks/target/benchmarks.jar dev.traced.benchmarks.SustainedRateRun rate 15000 [seconds]
 * java -cp benchmarks/target/benchmarks.jar dev.traced.benchmarks.SustainedRateRun paced
 * java -cp benchmarks/target/benchmarks.jar dev.traced.benchmarks.SustainedRateRun bursts
 * </pre>
 *
 * <ul>
 *   <li>{@code ceiling}: 16 threads create 3-span traces (root + 2 children) at a fixed total rate,
 *       stepped up until the first step that drops a trace; prints each step and the last one with
 *       zero drops, in traces/s and spans/s, with the writer's threads' CPU share.</li>
 *   <li>{@code rate N}: one such step at N traces/s, after the same warm-up.</li>
 *   <li>{@code paced}: issue 14's first case: 16 threads × 10,000 3-span traces, 1 ms pause after each.</li>
 *   <li>{@code bursts}: its second case: 2 threads, bursts of 1,000 one-span traces, 5 ms pause after
 *       each burst, 300,000 traces in all.</li>
 * </ul>
 */
public final class SustainedRateRun {

    private static final int THREADS = 16;
    /**
     * How often a producer thread wakes at most: {@code -Dsustained.tick.micros}, 1,000 by default;
     * 0 wakes it for every trace (the pacing of the runs before 2026-12-01 19:00 UTC).
     */
    private static final long TICK_NANOS = Long.getLong("sustained.tick.micros", 1_000) * 1_000;
    private static final int[] STEPS = {5_000, 10_000, 15_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000,
            80_000, 100_000, 120_000, 140_000, 160_000, 180_000, 200_000, 250_000, 300_000, 400_000};

    private SustainedRateRun() {
    }

    /** What one run measured. */
    record Result(long traces, long spans, long droppedTraces, long deliveredSpans, double seconds,
                  Map<String, Double> writerCpu, String drops, Machine machine) {

        double writerCpuTotal() {
            return writerCpu.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        @Override
        public String toString() {
            double cpu = writerCpuTotal();
            return String.format("created %,d traces (%,.0f/s, %,.0f spans/s) in %.1f s; dropped %,d traces (%.3f%%);"
                            + " delivered %,d spans; writer CPU %s = %.1f%% of one core, %.0f ns per delivered span; %s",
                    traces, traces / seconds, spans / seconds, seconds, droppedTraces, 100.0 * droppedTraces / traces,
                    deliveredSpans, format(writerCpu), 100 * cpu / seconds,
                    deliveredSpans == 0 ? 0 : cpu * 1e9 / deliveredSpans, drops) + "\n    " + machine;
        }
    }

    /**
     * Where the whole process's CPU went during a run (2 cores = 200 %): the producers' threads
     * (their own CPU, taken by each before it ends), the loopback Agent's, the writer's, and the
     * rest (GC, JIT, JFR); plus the GC pauses.
     */
    record Machine(double seconds, double processCpu, double producersCpu, double agentCpu, double writerCpu,
                   long gcPauses, double gcPauseSeconds) {

        @Override
        public String toString() {
            return String.format("process CPU %.0f%% of one core: producers %.0f%%, loopback Agent %.0f%%, writer %.0f%%,"
                            + " other (GC, JIT) %.0f%%; %d GC pauses, %.0f ms",
                    100 * processCpu / seconds, 100 * producersCpu / seconds, 100 * agentCpu / seconds,
                    100 * writerCpu / seconds, 100 * (processCpu - producersCpu - agentCpu - writerCpu) / seconds,
                    gcPauses, gcPauseSeconds * 1e3);
        }
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static long[] gcCounts() {
        long count = 0;
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean gc
                : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!gc.getName().contains("Concurrent")) { // G1's concurrent cycles do not stop the threads
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
        }
        return new long[] {count, millis};
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "ceiling";
        AtomicLong received = new AtomicLong();
        HttpServer agent = DeliveryRun.countingAgent(received);
        String url = "http://127.0.0.1:" + agent.getAddress().getPort();
        System.out.printf("mode=%s agent=%s java=%s cpus=%d producer tick=%d us%n", mode, url,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), TICK_NANOS / 1_000);
        try {
            switch (mode) {
                case "ceiling" -> ceiling(url, received, args.length > 1 ? Integer.parseInt(args[1]) : 5);
                case "rate" -> {
                    paced(url, received, 5_000, 2); // the same warm-up as ceiling, not reported
                    System.out.println(paced(url, received, Integer.parseInt(args[1]),
                            args.length > 2 ? Integer.parseInt(args[2]) : 5));
                }
                case "paced" -> System.out.println(issueCase(url, received, THREADS, 10_000, 1, 3, 1_000_000));
                case "bursts" -> System.out.println(issueCase(url, received, 2, 150, 1_000, 1, 5_000_000));
                default -> throw new IllegalArgumentException("mode: ceiling, rate N, paced or bursts");
            }
        } finally {
            agent.stop(0);
            System.exit(0);
        }
    }

    private static void ceiling(String url, AtomicLong received, int seconds) throws Exception {
        paced(url, received, 5_000, 2); // warm-up, not reported
        int lastClean = 0;
        Result lastCleanResult = null;
        for (int rate : STEPS) {
            Result result = paced(url, received, rate, seconds);
            System.out.printf("step %,d traces/s: %s%n", rate, result);
            boolean reached = result.traces() / result.seconds() >= 0.95 * rate;
            if (result.droppedTraces() > 0 || !reached) {
                System.out.printf("stopped at %,d traces/s: %s%n", rate,
                        result.droppedTraces() > 0 ? "first drops" : "the producers could not reach the rate");
                break;
            }
            lastClean = rate;
            lastCleanResult = result;
        }
        System.out.printf("highest zero-drop step: %,d traces/s = %,d spans/s (3-span traces, %d threads)%n",
                lastClean, 3L * lastClean, THREADS);
        if (lastCleanResult != null) {
            System.out.println("  at that step: " + lastCleanResult);
        }
    }

    /**
     * {@link #THREADS} threads creating 3-span traces at {@code rate} traces/s in total for {@code seconds}.
     * Trace k of a thread is due at {@code start + offset + k * period}; the thread wakes at most once
     * per {@link #TICK_NANOS} (its wake-ups spread over the tick by its index) and creates every trace
     * due by then, so the total rate is fixed and the pacing costs 16 x 1,000 wake-ups/s at any rate,
     * not one wake-up per trace (100,000/s at 100,000 traces/s, which ate most of a core on 2 cores).
     */
    static Result paced(String url, AtomicLong received, int rate, int seconds) throws Exception {
        long perThreadPeriodNanos = (long) (1e9 * THREADS / rate);
        long durationNanos = Duration.ofSeconds(seconds).toNanos();
        return run(url, received, THREADS, (tracer, index, start) -> {
            long created = 0;
            long offset = perThreadPeriodNanos * index / THREADS; // spread the threads over one period
            long tickOffset = TICK_NANOS * index / THREADS; // and their wake-ups over one tick
            while (true) {
                long now = System.nanoTime();
                if (now - start >= durationNanos) {
                    return created;
                }
                long due = (now - start - offset) / perThreadPeriodNanos + 1;
                while (created < due) {
                    threeSpans(tracer);
                    created++;
                }
                long next = start + offset + created * perThreadPeriodNanos;
                if (TICK_NANOS > 0) {
                    long ticks = (System.nanoTime() - start - tickOffset) / TICK_NANOS + 1;
                    next = Math.max(next, start + tickOffset + ticks * TICK_NANOS);
                }
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        });
    }

    /** {@code threads} threads each write {@code rounds} groups of {@code perRound} traces, pausing after each group. */
    private static Result issueCase(String url, AtomicLong received, int threads, int rounds, int perRound,
                                    int spansPerTrace, long pauseNanos) throws Exception {
        return run(url, received, threads, (tracer, index, start) -> {
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < perRound; i++) {
                    if (spansPerTrace == 3) {
                        threeSpans(tracer);
                    } else {
                        tracer.trace("burst.op").finish();
                    }
                }
                LockSupport.parkNanos(pauseNanos);
            }
            return (long) rounds * perRound;
        }, spansPerTrace);
    }

    private static void threeSpans(CloseableTracer tracer) {
        try (Span root = tracer.trace("paced.request")) {
            tracer.trace("paced.db").finish();
            tracer.trace("paced.cache").finish();
        }
    }

    private interface Producer {
        long produce(CloseableTracer tracer, int index, long start) throws Exception;
    }

    private static Result run(String url, AtomicLong received, int threads, Producer producer) throws Exception {
        return run(url, received, threads, producer, 3);
    }

    private static Result run(String url, AtomicLong received, int threads, Producer producer, int spansPerTrace)
            throws Exception {
        CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "sustained").config("dd.env", "bench")
                .config("dd.trace.agent.url", url).build();
        AgentWriter writer = (AgentWriter) ((CoreTracer) tracer).writer();
        long receivedBefore = received.get();
        Map<String, Double> cpuBefore = ThreadCpu.seconds(name -> name.startsWith("traced-"), name -> name);
        double processBefore = processCpuSeconds();
        long agentBefore = ThreadCpu.nanos(name -> name.startsWith("counting-agent") || name.startsWith("HTTP-"));
        long[] gcBefore = gcCounts();
        AtomicLong producersCpu = new AtomicLong();
        AtomicLong created = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] start = new long[1];
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                    created.addAndGet(producer.produce(tracer, index, start[0]));
                    producersCpu.addAndGet(ThreadCpu.currentThreadNanos());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "app-" + t);
            workers.add(worker);
            worker.start();
        }
        start[0] = System.nanoTime();
        go.countDown();
        Timeline timeline = TIMELINE ? new Timeline(writer, start[0]) : null;
        for (Thread worker : workers) {
            worker.join();
        }
        if (timeline != null) {
            timeline.stop();
        }
        double seconds = (System.nanoTime() - start[0]) / 1e9;
        double processCpu = processCpuSeconds() - processBefore;
        double agentCpu = (ThreadCpu.nanos(name -> name.startsWith("counting-agent") || name.startsWith("HTTP-"))
                - agentBefore) / 1e9;
        long[] gc = gcCounts();
        Map<String, Double> writerNow = ThreadCpu.seconds(name -> name.startsWith("traced-"), name -> name);
        double writerCpuInRun = writerNow.values().stream().mapToDouble(Double::doubleValue).sum()
                - cpuBefore.values().stream().mapToDouble(Double::doubleValue).sum();
        Machine machine = new Machine(seconds, processCpu, producersCpu.get() / 1e9, agentCpu, writerCpuInRun,
                gc[0] - gcBefore[0], (gc[1] - gcBefore[1]) / 1e3);
        tracer.flush(Duration.ofSeconds(30)); // delivers what is still queued
        Map<String, Double> cpu = ThreadCpu.seconds(name -> name.startsWith("traced-"), name -> name); // before close: the writer's threads end with it
        tracer.close();
        cpu.replaceAll((name, value) -> value - cpuBefore.getOrDefault(name, 0.0));
        long traces = created.get();
        return new Result(traces, traces * spansPerTrace, writer.drops().totalTraces(),
                received.get() - receivedBefore, seconds, cpu, writer.drops() + agentWaits(writer), machine);
    }

    /** {@code -Dsustained.timeline=true}: prints, per 100 ms with drops, the drops, the fullest queue seen and the writer's waits. */
    private static final boolean TIMELINE = Boolean.getBoolean("sustained.timeline");

    /** Samples the writer every millisecond on a thread of its own (a diagnostic: it costs CPU). */
    private static final class Timeline {
        private final Thread thread;
        private volatile boolean running = true;

        Timeline(AgentWriter writer, long start) {
            thread = new Thread(() -> {
                long bucket = 0;
                long dropsAtBucket = writer.drops().totalTraces();
                long waitsAtBucket = writer.agentWaits();
                int maxQueue = 0;
                long writerCpuAtBucket = ThreadCpu.nanos(name -> name.equals("traced-writer"));
                long processCpuAtBucket = (long) (processCpuSeconds() * 1e9);
                while (running) {
                    LockSupport.parkNanos(1_000_000);
                    long now = (System.nanoTime() - start) / 100_000_000;
                    maxQueue = Math.max(maxQueue, writer.queued());
                    if (now != bucket) {
                        long drops = writer.drops().totalTraces();
                        long waits = writer.agentWaits();
                        long writerCpu = ThreadCpu.nanos(name -> name.equals("traced-writer"));
                        long processCpu = (long) (processCpuSeconds() * 1e9);
                        if (drops > dropsAtBucket) {
                            System.out.printf("    t=%.1f s: %,d dropped, queue up to %d, %d waits for the Agent;"
                                            + " writer thread on CPU %d ms, process %d ms of this 100 ms%n",
                                    bucket / 10.0, drops - dropsAtBucket, maxQueue, waits - waitsAtBucket,
                                    (writerCpu - writerCpuAtBucket) / 1_000_000, (processCpu - processCpuAtBucket) / 1_000_000);
                        }
                        writerCpuAtBucket = writerCpu;
                        processCpuAtBucket = processCpu;
                        bucket = now;
                        dropsAtBucket = drops;
                        waitsAtBucket = waits;
                        maxQueue = 0;
                    }
                }
            }, "timeline");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /** How often the writer waited for the Agent (all buffers in flight); absent before issue 14. */
    private static String agentWaits(AgentWriter writer) {
        try {
            return "; writer waited for the Agent " + AgentWriter.class.getMethod("agentWaits").invoke(writer) + " times";
        } catch (ReflectiveOperationException e) {
            return "";
        }
    }
    private static String format(Map<String, Double> cpu) {
        StringBuilder text = new StringBuilder("{");
        cpu.forEach((name, seconds) -> text.append(text.length() > 1 ? ", " : "")
                .append(String.format("%s %.2f s", name, seconds)));
        return text.append('}').toString();
    }
}
