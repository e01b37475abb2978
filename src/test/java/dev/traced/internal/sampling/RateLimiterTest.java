package dev.traced.internal.sampling;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    @Test
    void letsABurstOfOneSecondThroughThenOneTokenPerInterval() {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        RateLimiter limiter = new RateLimiter(100, now::get);
        int allowed = 0;
        for (int i = 0; i < 250; i++) {
            allowed += limiter.tryAcquire() ? 1 : 0;
        }
        assertEquals(100, allowed);
        now.addAndGet(10_000_000L);
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire());
        now.addAndGet(5_000_000_000L);
        allowed = 0;
        for (int i = 0; i < 250; i++) {
            allowed += limiter.tryAcquire() ? 1 : 0;
        }
        assertEquals(100, allowed, "idle time refills at most one second's worth");
    }

    @Test
    void zeroLetsNothingThrough() {
        assertFalse(new RateLimiter(0, System::nanoTime).tryAcquire());
    }
}
