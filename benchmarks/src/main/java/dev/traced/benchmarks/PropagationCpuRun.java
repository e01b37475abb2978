package dev.traced.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@link PropagationComparisonBenchmark}'s operations measured by this thread's CPU time and
 * allocated bytes ({@code com.sun.management.ThreadMXBean}) rather than wall time: on a shared
 * machine whose load starves the JIT and the benchmark threads, JMH's ns/op swing by 10x between
 * runs, while the CPU time an operation takes once compiled, and what it allocates, do not depend
 * on the neighbours. Same headers, same {@code HashMap} carrier, traced and OpenTelemetry in one JVM.
 * Prints, per operation, the median of the rounds. Run:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.traced.benchmarks.PropagationCpuRun [iterations] [rounds]
 * </pre>
 */
public final class PropagationCpuRun {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static volatile Object sink;

    private PropagationCpuRun() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        PropagationComparisonBenchmark bench = new PropagationComparisonBenchmark();
        bench.setUp();
        try {
            Map<String, Runnable> operations = new LinkedHashMap<>();
            operations.put("w3cExtract (traced, tracecontext+baggage)", () -> sink = bench.w3cExtract());
            operations.put("otelExtract (OpenTelemetry W3C+baggage)", () -> sink = bench.otelExtract());
            operations.put("w3cInject (traced, tracecontext+baggage)", () -> sink = bench.w3cInject());
            operations.put("otelInject (OpenTelemetry W3C+baggage)", () -> sink = bench.otelInject());
            operations.put("defaultExtract (traced, datadog+tracecontext+baggage)", () -> sink = bench.defaultExtract());
            operations.put("defaultInject (traced, datadog+tracecontext+baggage)", () -> sink = bench.defaultInject());
            // Warm every operation up first, so that no round measures the interpreter.
            for (Runnable operation : operations.values()) {
                run(operation, 3 * iterations);
            }
            System.out.printf(Locale.ROOT, "%-56s %12s %10s%n", "operation (median of " + rounds + " rounds)",
                    "CPU ns/op", "B/op");
            for (Map.Entry<String, Runnable> operation : operations.entrySet()) {
                double[] nanos = new double[rounds];
                double[] bytes = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
                    run(operation.getValue(), iterations);
                    nanos[round] = (THREADS.getCurrentThreadCpuTime() - cpu) / (double) iterations;
                    bytes[round] = (THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocated)
                            / (double) iterations;
                }
                System.out.printf(Locale.ROOT, "%-56s %12.0f %10.0f%n", operation.getKey(), median(nanos),
                        median(bytes));
            }
        } finally {
            bench.tearDown();
        }
    }

    private static void run(Runnable operation, int iterations) {
        for (int i = 0; i < iterations; i++) {
            operation.run();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
