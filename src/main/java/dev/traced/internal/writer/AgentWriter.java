package dev.traced.internal.writer;

import dev.traced.internal.config.Config;
import dev.traced.internal.encoding.TraceEncoder;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.sampling.Sampling;
import dev.traced.internal.stats.ClientStats;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.transport.AgentAddress;
import dev.traced.internal.transport.AgentApi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ships finished traces to the Datadog Agent: queued by the application thread, encoded by the
 * writer's thread, sent on the send lane.
 *
 * <p>{@link #write} only offers the chunk to a bounded queue ({@code dd.trace.writer.queue.size},
 * 1024 traces) and never blocks; a full queue drops the trace and counts it. The writer's thread
 * ({@link WriterLoop}) takes traces off the queue as they come (an application thread wakes it when
 * an eighth of the queue is used) and encodes them into a payload buffer; a payload goes to the
 * {@link SendLane} when its buffer is full (5 MiB), every {@code dd.trace.flush.interval} (1 s), and
 * on flush. The lane sends one payload at a time and waits for the Agent's answer and retries, while
 * the writer's thread goes on encoding into the next buffer. Memory is bounded by the queue capacity
 * plus {@code WriterLoop.PAYLOADS_IN_FLIGHT + 1} buffers.
 *
 * <p>Everything not delivered is counted by reason ({@link #drops()}) and reported once to the Agent.
 */
public final class AgentWriter implements TraceWriter {

    public static final int DEFAULT_QUEUE_SIZE = 1024;
    private static final RateLimitedLog LOG = RateLimitedLog.of(AgentWriter.class);
    static final String SENDER_THREAD_NAME = "traced-sender";

    private final TraceQueue queue;
    private final int wakeAt;
    private final DropCounter drops = new DropCounter();
    private final PayloadSender sender;
    private final AgentApi api;
    private final WriterLoop loop;
    private final WriterThread thread;
    private final SendLane lane;
    /** The lane's own thread when there is no container executor; stopped on close. */
    private final ExecutorService ownSender;
    private final ClientStats stats;
    private volatile boolean closed;

    AgentWriter(AgentApi api, Sampling sampling, ClientStats stats, ScheduledExecutorService scheduler,
                int queueSize, int bufferCapBytes, Duration flushInterval, Duration agentTimeout) {
        this(api, sampling, stats, scheduler, scheduler, queueSize, bufferCapBytes, flushInterval, agentTimeout);
    }

    /**
     * @param scheduler where the writer's passes run: the container's executor, or null for a thread of its own
     * @param sendOn    where the send lane runs: the container's executor, or null for a thread of its own
     */
    AgentWriter(AgentApi api, Sampling sampling, ClientStats stats, ScheduledExecutorService scheduler,
                Executor sendOn, int queueSize, int bufferCapBytes, Duration flushInterval, Duration agentTimeout) {
        this.api = api;
        this.stats = stats;
        this.queue = new TraceQueue(queueSize);
        this.sender = new PayloadSender(api, drops, sampling, flushInterval, agentTimeout);
        this.ownSender = sendOn == null ? Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, SENDER_THREAD_NAME);
            thread.setDaemon(true);
            thread.setContextClassLoader(AgentWriter.class.getClassLoader());
            return thread;
        }) : null;
        this.lane = new SendLane(sendOn != null ? sendOn : ownSender);
        this.loop = new WriterLoop(queue, new TraceEncoder(bufferCapBytes, WriterLoop.bufferCount()), sender, lane,
                drops, stats, api, flushInterval.toNanos());
        this.wakeAt = loop.wakeAt();
        this.thread = new WriterThread(scheduler, flushInterval, loop);
        loop.wakeWith(thread::wakeAlways);
    }

    /**
     * The writer {@code dd.trace.writer=agent} makes.
     *
     * @param scheduler the container's managed scheduler, or null for a private daemon thread
     */
    public static AgentWriter create(Config config, ScheduledExecutorService scheduler, Sampling sampling) {
        AgentAddress address = AgentAddress.fromConfig(config);
        return new AgentWriter(new AgentApi(address.openTransport()), sampling,
                ClientStats.fromConfig(config, address.timeout()), scheduler,
                config.getInt("dd.trace.writer.queue.size", DEFAULT_QUEUE_SIZE, 1, 1 << 20),
                config.getInt("dd.trace.writer.buffer.size", TraceEncoder.DEFAULT_CAP_BYTES, 1 << 16, 25 << 20),
                config.getSeconds("dd.trace.flush.interval", Duration.ofSeconds(1), Duration.ofMillis(10),
                        Duration.ofMinutes(1)),
                address.timeout());
    }

    @Override
    public void write(List<CoreSpan> chunk) {
        if (chunk == null || chunk.isEmpty()) {
            return;
        }
        if (closed) {
            drops.record(DropCounter.Reason.CLOSED, 1, chunk.size());
            return;
        }
        // Rejected traces are counted in client-side stats and dropped by the writer's task, never here.
        if (!queue.offer(chunk)) {
            drops.record(DropCounter.Reason.QUEUE_FULL, 1, chunk.size());
            return;
        }
        if (queue.size() >= wakeAt) {
            thread.wake();
        }
    }

    @Override
    public boolean flush(Duration timeout) {
        if (thread.isCurrent() || lane.isLaneThread()) {
            return false; // the writer's own threads cannot wait for themselves
        }
        CompletableFuture<Boolean> done = loop.requestFlush();
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        if (!thread.wakeForFlush()) {
            // Closing, and the container already stopped its executor: the final flush runs on the
            // thread that is shutting down (never an application request thread).
            thread.runHere(done::isDone, deadline);
        }
        try {
            return done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    @Override
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        boolean flushed = flush(timeout);
        if (!flushed) {
            loop.abandon();
            if (ownSender != null) {
                ownSender.shutdownNow(); // interrupts a send that outlives the shutdown timeout
            }
        }
        thread.stop();
        if (!flushed) {
            // The writer's thread is stopped: this last pass counts what it held as dropped.
            thread.runOnceHere(TimeUnit.SECONDS.toNanos(1));
            LOG.warn("close-timeout", "could not send every trace within dd.trace.shutdown.timeout (%s); "
                    + "what was left is counted as dropped (%s)", timeout, drops);
        }
        if (ownSender != null) {
            ownSender.shutdown();
        }
        List<CoreSpan> late;
        while ((late = queue.poll()) != null) {
            drops.record(DropCounter.Reason.CLOSED, 1, late.size()); // written while closing
        }
        drops.logIfDue(System.nanoTime());
        api.close();
    }

    /** True when the Agent asked tracers to drop priority ≤ 0 traces themselves ({@code client_drop_p0s}). */
    public boolean clientDropsP0s() {
        return sender.clientDropsP0s();
    }

    /** What was dropped, by reason. */
    public DropCounter drops() {
        return drops;
    }

    /** Traces the Agent accepted (status 200). */
    public long sentTraces() {
        return sender.sentTraces();
    }

    public long sentSpans() {
        return sender.sentSpans();
    }

    /** Client-side stats: whether they are on, and what was sent. */
    public ClientStats stats() {
        return stats;
    }

    /** Payloads handed to the send lane and not answered yet (read on the writer's thread, or in tests). */
    int payloadsInFlight() {
        return loop.inFlight();
    }

    /**
     * How often the writer's thread stopped taking traces because every payload buffer was waiting
     * for the Agent: when it grows while traces are dropped, the Agent (or the way to it) is the
     * bottleneck, not the writer's thread.
     */
    public long agentWaits() {
        return loop.roomWaits();
    }

    /** Traces waiting in the queue now. */
    public int queued() {
        return queue.size();
    }
}
