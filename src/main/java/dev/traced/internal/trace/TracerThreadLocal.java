package dev.traced.internal.trace;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * A thread-local owned by one tracer, whose values every thread lets go of when the tracer closes.
 *
 * <p>Why not a plain {@link ThreadLocal}: a thread's map holds each value strongly until the thread
 * happens to clean the entry out, well after the thread-local itself is gone. A value of a class of
 * this library on a pooled container thread (the active-span stack, the reusable propagation objects)
 * therefore kept a redeployed application's class loader reachable, with the library in its
 * {@code WEB-INF/lib}, and GlassFish logged a SEVERE "created a ThreadLocal ... but failed to remove
 * it" line per thread and value at every undeploy. Here the thread's map holds only a one-element
 * {@code Object[]} (a JDK type), which {@link #close} empties on every thread that has one.
 *
 * <p>Reads cost one more array load than a plain thread-local; the first use on each thread takes a
 * lock, once. After {@link #close}, values are still given but no longer kept on the thread.
 */
public final class TracerThreadLocal<T> {

    private final ThreadLocal<Object[]> slots = new ThreadLocal<>();
    /** Makes a thread's first value; null when a thread has none until {@link #set}. */
    private final Supplier<? extends T> initial;
    /** Every thread's slot, weakly: a thread that ends takes its slot with it. Guarded by itself. */
    private final Map<Object[], Boolean> everySlot = new WeakHashMap<>();
    private volatile boolean closed;

    private TracerThreadLocal(Supplier<? extends T> initial) {
        this.initial = initial;
    }

    /** A thread-local whose value is null on each thread until set. */
    public static <T> TracerThreadLocal<T> empty() {
        return new TracerThreadLocal<>(null);
    }

    /** A thread-local whose value on each thread is made by {@code initial} at the first {@link #get}. */
    public static <T> TracerThreadLocal<T> withInitial(Supplier<? extends T> initial) {
        return new TracerThreadLocal<>(initial);
    }

    /** This thread's value: the initial one at the first call, or null when there is no initial supplier. */
    @SuppressWarnings("unchecked")
    public T get() {
        Object[] slot = slots.get();
        if (slot != null) {
            Object value = slot[0];
            if (value != null) {
                return (T) value;
            }
        }
        if (initial == null) {
            return null;
        }
        T value = initial.get();
        keep(slot, value);
        return value;
    }

    /** Sets this thread's value (null clears it). */
    public void set(T value) {
        keep(slots.get(), value);
    }

    private void keep(Object[] slot, Object value) {
        if (closed) {
            if (slot != null) {
                slot[0] = null;
            }
            return;
        }
        if (slot == null) {
            if (value == null) {
                return;
            }
            slot = new Object[1];
            synchronized (everySlot) {
                if (closed) {
                    return;
                }
                everySlot.put(slot, Boolean.TRUE);
            }
            slots.set(slot);
        }
        slot[0] = value;
    }

    /**
     * Empties every thread's slot and keeps no value from now on. A thread still using a value it read
     * before goes on with it; its next {@link #get} gets a fresh one.
     */
    public void close() {
        synchronized (everySlot) {
            closed = true;
            for (Object[] slot : everySlot.keySet()) {
                slot[0] = null;
            }
            everySlot.clear();
        }
    }
}
