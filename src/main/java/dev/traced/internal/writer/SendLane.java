package dev.traced.internal.writer;

import dev.traced.internal.log.RateLimitedLog;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the Agent is talked to: tasks run one at a time, in the order given, on an executor (the
 * writer's own {@code traced-sender} thread, or the container's managed executor). Sending a
 * payload waits for the Agent's answer and its retries; doing that here, not on the writer's
 * thread, is what lets the writer keep draining the queue while a payload is on its way.
 *
 * <p>Unbounded as a queue, but the writer hands it at most a few payloads at a time (one per
 * encoder buffer), so what it holds is bounded too.
 */
final class SendLane {

    private static final RateLimitedLog LOG = RateLimitedLog.of(SendLane.class);

    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** True while a drain of {@link #tasks} is submitted or running: at most one at a time. */
    private final AtomicBoolean active = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile Thread thread;

    SendLane(Executor executor) {
        this.executor = executor;
    }

    /** Runs the task after every task submitted before it. Never blocks. */
    void submit(Runnable task) {
        tasks.add(task);
        schedule();
    }

    /** True on the thread that is running this lane's tasks. */
    boolean isLaneThread() {
        return Thread.currentThread() == thread;
    }

    /** The thread running a task now, or null. */
    Thread thread() {
        return thread;
    }

    private void schedule() {
        if (active.get() || !active.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(drain);
        } catch (RejectedExecutionException e) {
            // The container stopped its executor (shutting down): run here rather than lose the tasks.
            drain();
        }
    }

    private void drain() {
        thread = Thread.currentThread();
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("send-task", e, "a task of the trace writer's send lane failed");
                }
            }
        } finally {
            thread = null;
            active.set(false);
        }
        if (!tasks.isEmpty()) {
            schedule(); // a task came in after the last poll and before active was cleared
        }
    }
}
