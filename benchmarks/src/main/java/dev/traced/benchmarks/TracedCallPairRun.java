package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.TracerBuilder;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The {@code @Traced} call against Weld's no-op interceptor, in thread CPU time, as pairs: one Weld
 * container and one tracer for the whole run (default configuration), and each round measures the
 * traced call, the no-op interceptor call and a bare span start+finish back to back, so that the
 * ratio of a round compares calls that ran under the same load. Prints the minimum and median of
 * each case over the rounds, and the median of the rounds' traced minus no-op and traced / no-op.
 * For a shared machine, where {@link CpuTimeRun}'s medians of separate cases move by tens of ns
 * between runs.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.traced.benchmarks.TracedCallPairRun [rounds] [opsPerRound]</pre>
 */
public final class TracedCallPairRun {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    private TracedCallPairRun() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        System.setProperty("dd.service", "bench");
        WeldContainer container = new Weld().disableDiscovery()
                .addBeanClasses(TracerHolder.class, TracedInterceptor.class,
                        InterceptorBenchmark.NoopInterceptor.class, InterceptorBenchmark.Beans.class)
                .addInterceptor(InterceptorBenchmark.NoopInterceptor.class)
                .initialize();
        InterceptorBenchmark.Beans beans = container.select(InterceptorBenchmark.Beans.class).get();
        CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment().config("dd.service", "bench").build();
        double[] traced = new double[rounds];
        double[] noop = new double[rounds];
        double[] span = new double[rounds];
        double[] delta = new double[rounds];
        double[] ratio = new double[rounds];
        for (int round = -10; round < rounds; round++) { // ten rounds of warm-up
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                sink += beans.traced(i);
            }
            long t1 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                sink += beans.noop(i);
            }
            long t2 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                tracer.trace("bench.op").finish();
            }
            long t3 = THREADS.getCurrentThreadCpuTime();
            if (round >= 0) {
                traced[round] = (t1 - t0) / (double) ops;
                noop[round] = (t2 - t1) / (double) ops;
                span[round] = (t3 - t2) / (double) ops;
                delta[round] = traced[round] - noop[round];
                ratio[round] = traced[round] / noop[round];
            }
        }
        System.out.printf("traced %s | noop %s | traced-noop med %.1f | traced/noop med %.3f | span %s%n",
                minMedian(traced), minMedian(noop), median(delta), median(ratio), minMedian(span));
        tracer.close();
        container.shutdown();
        System.out.print(sink == 42 ? " " : "");
    }

    private static String minMedian(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format("min %.1f med %.1f", sorted[0], sorted[sorted.length / 2]);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
