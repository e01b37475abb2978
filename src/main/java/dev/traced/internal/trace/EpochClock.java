package dev.traced.internal.trace;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock start times in epoch nanoseconds, derived from {@link System#nanoTime()} so that they
 * cost no allocation; re-anchored on the wall clock every minute so they do not drift.
 */
final class EpochClock {

    private static final long RESYNC_NANOS = TimeUnit.MINUTES.toNanos(1);

    private record Anchor(long epochNanos, long nanoTime) {
    }

    private volatile Anchor anchor = newAnchor();

    long epochNanos(long nanoTime) {
        Anchor current = anchor;
        long elapsed = nanoTime - current.nanoTime;
        if (elapsed > RESYNC_NANOS) {
            current = newAnchor();
            anchor = current;
            elapsed = nanoTime - current.nanoTime;
        }
        return current.epochNanos + elapsed;
    }

    private static Anchor newAnchor() {
        Instant now = Instant.now();
        long nano = System.nanoTime();
        return new Anchor(now.getEpochSecond() * 1_000_000_000L + now.getNano(), nano);
    }
}
