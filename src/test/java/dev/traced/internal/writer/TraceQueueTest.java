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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-over queue never holds more than its capacity, even with many threads offering at once,
 * and gives every accepted chunk to the writer exactly once, in order.
 */
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

    @Test
    void keepsTheExactCapacityAndOrderRoundAfterRound() {
        // 5 is not a power of two: the ring has 8 slots, the bound stays 5.
        TraceQueue queue = new TraceQueue(5);
        List<List<CoreSpan>> chunks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chunks.add(new ArrayList<>()); // distinct objects, compared by identity below
        }
        int next = 0;
        int taken = 0;
        for (int round = 0; round < 8; round++) {
            while (queue.offer(chunks.get(next % chunks.size()))) {
                next++;
            }
            assertEquals(5, queue.size(), "round " + round);
            for (int i = 0; i < 3; i++) { // leaves 2, so later rounds start part full and wrap the ring
                assertSame(chunks.get(taken++ % chunks.size()), queue.poll());
            }
        }
        while (queue.size() > 0) {
            assertSame(chunks.get(taken++ % chunks.size()), queue.poll());
        }
        assertNull(queue.poll());
        assertEquals(next, taken, "everything offered and accepted was taken once");
    }

    @Test
    void aQueueOfOneAlternates() {
        TraceQueue queue = new TraceQueue(1);
        List<CoreSpan> first = new ArrayList<>();
        assertTrue(queue.offer(first));
        assertFalse(queue.offer(new ArrayList<>()));
        assertSame(first, queue.poll());
        assertNull(queue.poll());
        assertTrue(queue.offer(first));
        assertEquals(1, queue.size());
    }

    @Test
    void everyAcceptedChunkIsTakenExactlyOnceWhileProducersAndTheWriterRun() throws Exception {
        TraceQueue queue = new TraceQueue(16);
        int producers = 4;
        int perProducer = 20_000;
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger producing = new AtomicInteger(producers);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < producers; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perProducer; i++) {
                        if (queue.offer(CHUNK)) {
                            accepted.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    producing.decrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        long taken = 0;
        while (producing.get() > 0 || queue.size() > 0) { // ends: the producers' loops are bounded
            if (queue.poll() != null) {
                taken++;
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertNull(queue.poll());
        assertEquals(accepted.get(), taken, "no chunk lost or taken twice");
        assertTrue(taken >= 16, "at least a queue's worth went through: " + taken);
    }
}
