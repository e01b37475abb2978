package dev.traced.internal.sampling;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code dd.trace.rate.limit}: at most this many traces a second kept by sampling rules, with a burst
 * of one second's worth. A lock-free token bucket (the generic cell rate algorithm: one timestamp,
 * advanced by one interval per trace let through).
 */
final class RateLimiter {

    private static final long SECOND = 1_000_000_000L;

    private final int perSecond;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    /** When the bucket would be full again: the "theoretical arrival time" of the next trace. */
    private final AtomicLong nextFree;

    RateLimiter(int perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.intervalNanos = perSecond <= 0 ? Long.MAX_VALUE : SECOND / perSecond;
        this.nanoTime = nanoTime;
        this.nextFree = new AtomicLong(nanoTime.getAsLong() - SECOND);
    }

    int perSecond() {
        return perSecond;
    }

    /** Takes one token; false when a second's worth was already let through. */
    boolean tryAcquire() {
        if (perSecond <= 0) {
            return false;
        }
        long now = nanoTime.getAsLong();
        while (true) {
            long current = nextFree.get();
            long start = Math.max(current, now - SECOND);
            long next = start + intervalNanos;
            if (next - now > 0) {
                return false;
            }
            if (nextFree.compareAndSet(current, next)) {
                return true;
            }
        }
    }
}
