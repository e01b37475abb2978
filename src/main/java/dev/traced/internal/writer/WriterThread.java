package dev.traced.internal.writer;

import dev.traced.internal.log.RateLimitedLog;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Runs the writer's work off the application threads, in one of two ways:
 * <ul>
 *   <li>on a thread of its own, {@code traced-writer}, that parks between passes until the next
 *       deadline or until {@link #wake} unparks it (no hop through an executor's queue);</li>
 *   <li>on the container's managed executor: a run goes on while there is work, then gives the
 *       thread back; {@link #wake} and a periodic tick submit the next run. A busy run also gives
 *       its thread back every second, so the container never sees a task that does not end.</li>
 * </ul>
 * Passes never overlap.
 */
final class WriterThread {

    /** What runs. */
    interface Work {
        /** Does what is due; returns when it wants to run again (a {@code System.nanoTime()}; now or earlier: at once). */
        long pass(long now);

        /** True when something arrived that must not wait for the deadline the last pass returned. */
        boolean urgent();

        /**
         * False while a pass could do nothing with more traces (every payload buffer waits for the
         * Agent): an application thread's wake would only cost a futile pass.
         */
        boolean wantsTraces();
    }

    static final String THREAD_NAME = "traced-writer";
    private static final RateLimitedLog LOG = RateLimitedLog.of(WriterThread.class);
    private static final long CONTAINER_RUN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Work work;
    private final Thread own;
    private final ScheduledExecutorService container;
    private final ScheduledFuture<?> tick;
    private final long retryNanos;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final AtomicBoolean submitted = new AtomicBoolean();
    private final Runnable containerRun = this::runOnContainer;
    private volatile Thread current;
    private volatile boolean stopped;

    /**
     * @param container the container's managed executor, or null for a thread of its own
     * @param interval  the flush interval: how often a container run is submitted when nothing wakes it
     */
    WriterThread(ScheduledExecutorService container, Duration interval, Work work) {
        this.work = work;
        this.container = container;
        this.retryNanos = interval.toNanos();
        if (container == null) {
            own = new Thread(this::runOwn, THREAD_NAME);
            own.setDaemon(true);
            // Not the application's class loader: the thread must not keep an undeployed application alive.
            own.setContextClassLoader(WriterThread.class.getClassLoader());
            own.start();
            tick = null;
        } else {
            own = null;
            long millis = Math.max(10, interval.toMillis() / 4);
            ScheduledFuture<?> scheduled = null;
            try {
                scheduled = container.scheduleWithFixedDelay(this::wake, millis, millis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.warn("scheduler-rejected", e, "the scheduler refused the trace writer's task; traces are sent only on flush");
            }
            tick = scheduled;
        }
    }

    /** Has the work run soon, unless it cannot take traces now; any thread, never blocks. Cheap when the writer is already running. */
    void wake() {
        if (work.wantsTraces()) {
            wakeAlways();
        }
    }

    /** Has the work run soon, whatever it waits for: a payload was answered, a flush was asked. */
    void wakeAlways() {
        if (own != null) {
            if (!work.wantsTraces()) {
                LockSupport.unpark(own); // may come before the park: the permit makes that park return
            } else if (parked.get() && parked.compareAndSet(true, false)) {
                LockSupport.unpark(own);
            }
        } else if (!submitted.get() && submitted.compareAndSet(false, true)) {
            try {
                container.execute(containerRun);
            } catch (RejectedExecutionException e) {
                submitted.set(false);
            }
        }
    }

    /**
     * Wakes the work for a flush; false when it cannot run without the caller: its own thread is gone,
     * or the container's executor refuses tasks (it is shutting down).
     */
    boolean wakeForFlush() {
        if (own != null) {
            LockSupport.unpark(own);
            return own.isAlive();
        }
        try {
            container.execute(containerRun); // even if a run is queued: a stopping executor may never start it
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs one pass on the calling thread, after any pass in progress (waiting at most {@code waitNanos}). */
    void runOnceHere(long waitNanos) {
        runHere(new BooleanSupplier() {
            private boolean ran;

            @Override
            public boolean getAsBoolean() {
                boolean before = ran;
                ran = true;
                return before;
            }
        }, System.nanoTime() + waitNanos);
    }

    /** True on the thread running a pass now. */
    boolean isCurrent() {
        return Thread.currentThread() == current;
    }

    /**
     * Runs passes on the calling thread until {@code done} or the deadline: for the final flush when
     * the container already stopped its executor. Never called from an application request.
     */
    void runHere(BooleanSupplier done, long deadline) {
        try {
            if (!running.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            current = Thread.currentThread();
            while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
                long next = pass();
                long wait = Math.min(next - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1));
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait); // woken by nobody here: poll the send lane's progress
                }
            }
        } finally {
            current = null;
            running.unlock();
        }
    }

    /** Stops the thread it owns and the periodic tick; a pass in progress finishes. */
    void stop() {
        stopped = true;
        if (tick != null) {
            tick.cancel(false);
        }
        if (own != null) {
            LockSupport.unpark(own);
            try {
                own.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runOwn() {
        current = Thread.currentThread();
        while (!stopped) {
            long next;
            running.lock(); // uncontended but for a closing thread's last pass (runOnceHere)
            try {
                next = pass();
            } finally {
                running.unlock();
            }
            long wait = next - System.nanoTime();
            if (wait <= 0) {
                continue;
            }
            // Dekker-style with wake(): either the waker sees parked, or we see its work in urgent().
            parked.set(true);
            if (!stopped && !work.urgent()) {
                LockSupport.parkNanos(this, wait);
            }
            parked.set(false);
            Thread.interrupted(); // an interrupt is not a reason to stop; stop() is
        }
        current = null;
    }

    private void runOnContainer() {
        submitted.set(false);
        if (stopped || !running.tryLock()) {
            return; // a run is on already; it sees the new work, or resubmits when it ends
        }
        boolean busy = false;
        try {
            current = Thread.currentThread();
            long end = System.nanoTime() + CONTAINER_RUN_NANOS;
            while (!stopped) {
                long next = pass();
                long now = System.nanoTime();
                if (next - now > 0) {
                    break; // nothing to do before the deadline: the tick or a wake brings the next run
                }
                if (now - end >= 0) {
                    busy = true;
                    break;
                }
            }
        } finally {
            current = null;
            running.unlock();
        }
        if (busy || work.urgent()) {
            wake();
        }
    }

    private long pass() {
        try {
            return work.pass(System.nanoTime());
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("writer-pass", e, "the trace writer's task failed; it runs again at the next interval");
            return System.nanoTime() + retryNanos;
        }
    }
}
