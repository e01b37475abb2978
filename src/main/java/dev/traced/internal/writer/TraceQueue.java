package dev.traced.internal.writer;

import dev.traced.internal.trace.CoreSpan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The bounded hand-over from application threads to the writer's thread: many producers, one
 * consumer, in a ring of slots allocated once. An application thread never waits on it and
 * allocates nothing: {@link #offer} claims a slot with one compare-and-set and publishes the chunk
 * into it, or refuses at once when {@code capacity} chunks are queued.
 *
 * <p>Only the writer's thread (one at a time: passes never overlap) calls {@link #poll}. A producer
 * that claimed a slot but has not published into it yet (it was descheduled between the two steps)
 * makes {@link #poll} return null until it does, rather than wait: the chunks behind it are taken
 * on a later pass, in order.
 */
final class TraceQueue {

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle PRODUCED;
    private static final VarHandle CONSUMED;
    private static final VarHandle PRODUCER_LIMIT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCED = lookup.findVarHandle(TraceQueue.class, "produced", long.class);
            CONSUMED = lookup.findVarHandle(TraceQueue.class, "consumed", long.class);
            PRODUCER_LIMIT = lookup.findVarHandle(TraceQueue.class, "producerLimit", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;
    private final int capacity;

    // Producers and the consumer write different indexes: padding keeps them off one cache line, so
    // the writer's progress does not invalidate the line every producer reads on each offer.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    /** Slots claimed by producers so far; only ever grows, by compare-and-set. */
    private volatile long produced;
    /**
     * A bound under which a producer may claim without reading {@link #consumed}: {@code consumed +
     * capacity} as last read. Stale is safe (too low), so it is refreshed only when reached.
     */
    private volatile long producerLimit;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;
    /** Slots taken by the consumer so far; written by the writer's thread only. */
    private volatile long consumed;
    @SuppressWarnings("unused")
    private long p21, p22, p23, p24, p25, p26, p27;

    TraceQueue(int capacity) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity: " + capacity);
        }
        this.capacity = capacity;
        // A power of two holds the capacity, so a slot is an index masked; the bound stays exact.
        int length = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.slots = new Object[Math.max(1, length)];
        this.mask = slots.length - 1;
        this.producerLimit = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Adds a chunk unless the queue holds {@code capacity} chunks already; never blocks, never allocates. */
    boolean offer(List<CoreSpan> chunk) {
        long index;
        do {
            index = (long) PRODUCED.getVolatile(this);
            if (index >= (long) PRODUCER_LIMIT.getVolatile(this)) {
                long limit = (long) CONSUMED.getVolatile(this) + capacity;
                if (index >= limit) {
                    return false; // full: no write at all, so a full queue does not bounce a line between cores
                }
                PRODUCER_LIMIT.setRelease(this, limit); // any producer's reading is as good: it only grows
            }
        } while (!PRODUCED.compareAndSet(this, index, index + 1));
        SLOTS.setRelease(slots, (int) index & mask, chunk);
        return true;
    }

    /** The oldest chunk, or null when none is published yet; the writer's thread only. */
    @SuppressWarnings("unchecked")
    List<CoreSpan> poll() {
        long index = (long) CONSUMED.getOpaque(this);
        int slot = (int) index & mask;
        Object chunk = SLOTS.getAcquire(slots, slot);
        if (chunk == null) {
            if ((long) PRODUCED.getVolatile(this) == index) {
                return null; // empty
            }
            chunk = awaitPublished(slot); // claimed: its producer is between claiming and publishing
            if (chunk == null) {
                return null;
            }
        }
        // Emptied before the slot is given back below (release): a producer that claims it next
        // writes after this, never before.
        SLOTS.setOpaque(slots, slot, null);
        CONSUMED.setRelease(this, index + 1);
        return (List<CoreSpan>) chunk;
    }

    /**
     * The chunk of a claimed slot, once its producer publishes it: a few instructions after the
     * claim, unless that thread was descheduled in between; then, after a yield that lets it run,
     * null: the next pass takes it.
     */
    private Object awaitPublished(int slot) {
        for (int spin = 0; spin < 128; spin++) {
            Thread.onSpinWait();
            Object chunk = SLOTS.getAcquire(slots, slot);
            if (chunk != null) {
                return chunk;
            }
        }
        Thread.yield();
        return SLOTS.getAcquire(slots, slot);
    }

    /** Chunks claimed and not taken yet: exact when nothing moves, a snapshot otherwise. */
    int size() {
        long taken = (long) CONSUMED.getVolatile(this);
        long claimed = (long) PRODUCED.getVolatile(this);
        return (int) Math.max(0, Math.min(capacity, claimed - taken));
    }
}
