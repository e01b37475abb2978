package dev.traced.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * CPU time of this JVM's live threads, for the {@code main} runs that report where their CPU went
 * (the writer's threads, the loopback Agent's, the producers').
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** CPU nanoseconds so far of the calling thread. */
    static long currentThreadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** CPU nanoseconds so far of the live threads whose name {@code named} accepts. */
    static long nanos(Predicate<String> named) {
        long sum = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (named.test(thread.getName())) {
                sum += Math.max(0, THREADS.getThreadCpuTime(thread.getId()));
            }
        }
        return sum;
    }

    /** CPU seconds so far of the live threads whose name {@code named} accepts, summed by {@code group} of the name. */
    static Map<String, Double> seconds(Predicate<String> named, Function<String, String> group) {
        Map<String, Double> byGroup = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (named.test(name)) {
                long nanos = THREADS.getThreadCpuTime(thread.getId());
                if (nanos > 0) {
                    byGroup.merge(group.apply(name), nanos / 1e9, Double::sum);
                }
            }
        }
        return byGroup;
    }

    /**
     * Every thread's CPU seconds so far, summed by name without digits (pool threads together), as
     * {@code name=seconds} pairs of at least 0.05 s, each formatted with {@code secondsFormat}.
     */
    static String byGroup(String secondsFormat) {
        StringBuilder text = new StringBuilder();
        seconds(name -> true, name -> name.replaceAll("[0-9]+", "#")).forEach((name, seconds) -> {
            if (seconds >= 0.05) {
                text.append(name).append('=').append(String.format(secondsFormat, seconds)).append(' ');
            }
        });
        return text.toString().trim();
    }
}
