package dev.traced.internal.sampling;

/**
 * The sampling function every Datadog tracer and the Agent share, so that they keep the same traces:
 * a trace is kept when the lower 64 bits of its id, multiplied by Knuth's factor (mod 2^64), are at
 * most {@code rate * (2^64 - 1)}, compared as unsigned numbers.
 *
 * <p>As dd-trace-java's {@code DeterministicSampler}, the rate becomes a precomputed signed cutoff and
 * the unsigned comparison is a signed one after adding {@code Long.MIN_VALUE} to both sides; deciding
 * is one multiplication and one comparison. Unlike Java, a rate of 1 keeps every id, including the one
 * id whose product is exactly 2^64 - 1.
 */
final class DeterministicSampler {

    static final long KNUTH_FACTOR = 1111111111111111111L;
    private static final double MAX = Math.pow(2, 64) - 1;
    /** The cutoff of a rate of 1: everything is kept. */
    static final long KEEP_ALL = Long.MAX_VALUE;

    private DeterministicSampler() {
    }

    /** The cutoff of a rate in [0, 1], as dd-trace-java computes it; NaN counts as 0. */
    static long cutoff(double rate) {
        if (!(rate > 0)) {
            return Long.MIN_VALUE;
        }
        if (rate < 0.5) {
            return (long) (rate * MAX) + Long.MIN_VALUE;
        }
        if (rate < 1.0) {
            return (long) ((rate * MAX) + Long.MIN_VALUE);
        }
        return KEEP_ALL;
    }

    /** True when the trace with these lower 64 id bits is kept under the cutoff of {@link #cutoff}. */
    static boolean keeps(long traceIdLow, long cutoff) {
        return cutoff == KEEP_ALL || traceIdLow * KNUTH_FACTOR + Long.MIN_VALUE < cutoff;
    }
}
