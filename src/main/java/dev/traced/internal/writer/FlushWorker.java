package dev.traced.internal.writer;

import dev.traced.internal.log.RateLimitedLog;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a writer's flush job off the application threads: every interval, sooner when woken, and on
 * demand for {@link #flush}. Uses the given scheduler (the container's managed one) or else one
 * private daemon thread named {@code traced-writer}; only a thread it created is stopped on close.
 * Runs of the job never overlap.
 */
final class FlushWorker {

    /** What the worker runs. */
    interface Job {
        /** Processes what is queued; {@code sendAll} also sends what is buffered but not full. */
        void run(boolean sendAll);
    }

    static final String THREAD_NAME = "traced-writer";
    private static final RateLimitedLog LOG = RateLimitedLog.of(FlushWorker.class);

    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private final Job job;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Runnable tick = () -> runJob(true);
    private final Runnable wake = () -> {
        wakePending.set(false);
        runJob(false);
    };
    private volatile ScheduledFuture<?> periodic;
    private volatile Thread workerThread;

    FlushWorker(ScheduledExecutorService given, Duration interval, Job job) {
        this.job = job;
        this.ownsExecutor = given == null;
        this.executor = given != null ? given : Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        try {
            periodic = executor.scheduleWithFixedDelay(tick, millis, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("scheduler-rejected", e, "the scheduler refused the trace writer's task; traces are sent only on flush");
        }
    }

    /** Asks for a run soon; called from application threads, so it only submits a task, at most one pending. */
    void wake() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                executor.execute(wake);
            } catch (RejectedExecutionException e) {
                wakePending.set(false);
            }
        }
    }

    /** Runs the job with {@code sendAll} and waits for it at most {@code timeout}; true when it finished. */
    boolean flush(Duration timeout) {
        return flush(timeout, false);
    }

    private boolean flush(Duration timeout, boolean cancelOnTimeout) {
        if (Thread.currentThread() == workerThread) {
            runJob(true); // called from within the job: waiting for another task would deadlock
            return true;
        }
        Future<?> done;
        try {
            done = executor.submit(tick);
        } catch (RejectedExecutionException e) {
            if (cancelOnTimeout) {
                // Closing, and the container already stopped its executor: the final flush runs on
                // the thread that is shutting down (never an application request thread).
                runJob(true);
                return true;
            }
            return false;
        }
        try {
            done.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            if (cancelOnTimeout) {
                done.cancel(true); // shutting down: stop a send that outlives the shutdown timeout
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** Final flush within {@code timeout}, then stops the periodic task and the thread it owns. */
    boolean close(Duration timeout) {
        ScheduledFuture<?> task = periodic;
        if (task != null) {
            task.cancel(false);
        }
        boolean flushed = flush(timeout, true);
        if (ownsExecutor) {
            executor.shutdownNow();
        }
        return flushed;
    }

    private void runJob(boolean sendAll) {
        running.lock();
        try {
            workerThread = Thread.currentThread();
            job.run(sendAll);
        } catch (RuntimeException e) {
            LOG.warn("writer-job", e, "the trace writer's task failed; it runs again at the next interval");
        } finally {
            workerThread = null;
            running.unlock();
        }
    }
}
