package dev.traced.internal.writer;

import dev.traced.internal.trace.CoreSpan;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded hand-over from application threads to the writer's thread: lock-free, so an
 * application thread never waits on it; when full, {@link #offer} refuses at once.
 */
final class TraceQueue {

    private final ConcurrentLinkedQueue<List<CoreSpan>> chunks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    TraceQueue(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Adds a chunk unless the queue holds {@code capacity} chunks already; never blocks. */
    boolean offer(List<CoreSpan> chunk) {
        if (size.get() >= capacity) {
            return false; // a read only: a full queue does not bounce the counter between cores
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        chunks.offer(chunk);
        return true;
    }

    /** The oldest chunk, or null when empty. */
    List<CoreSpan> poll() {
        List<CoreSpan> chunk = chunks.poll();
        if (chunk != null) {
            size.decrementAndGet();
        }
        return chunk;
    }

    int size() {
        return size.get();
    }
}
