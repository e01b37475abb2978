package dev.traced.internal.writer;

import dev.traced.internal.trace.CoreSpan;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-over queue never holds more than its capacity, even with many threads offering at once. */
class TraceQueueTest {

    private static final List<CoreSpan> CHUNK = List.of();

    @Test
    void refusesOnceFullAndAcceptsAgainAfterAPoll() {
        TraceQueue queue = new TraceQueue(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(queue.offer(CHUNK));
        }
        assertFalse(queue.offer(CHUNK), "a full queue refuses at once");
        assertEquals(4, queue.size());
        assertNotNull(queue.poll());
        assertTrue(queue.offer(CHUNK));
        assertEquals(4, queue.size());
    }

    @Test
    void concurrentOffersNeverExceedTheCapacity() throws Exception {
        TraceQueue queue = new TraceQueue(64);
        AtomicInteger accepted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1_000; i++) {
                    if (queue.offer(CHUNK)) {
                        accepted.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(64, accepted.get(), "exactly the capacity was accepted, the other 7,936 refused");
        assertEquals(64, queue.size());
    }
}
