package dev.traced.internal.writer;

import dev.traced.internal.config.Config;
import dev.traced.internal.encoding.EncodedPayload;
import dev.traced.internal.encoding.TraceEncoder;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.sampling.Sampling;
import dev.traced.internal.stats.ClientStats;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.transport.AgentAddress;
import dev.traced.internal.transport.AgentApi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Ships finished traces to the Datadog Agent: queued by the application thread, encoded and sent by
 * the writer's task.
 *
 * <p>{@link #write} only offers the chunk to a bounded queue ({@code dd.trace.writer.queue.size},
 * 1024 traces) and never blocks; a full queue drops the trace and counts it. The task runs every
 * {@code dd.trace.flush.interval} (1 s), and sooner when the queue fills up: it encodes the queued
 * chunks into one reusable buffer and sends a payload when the buffer reaches its cap (5 MiB) or at
 * the interval. Memory is bounded by the queue capacity plus the buffer cap.
 *
 * <p>When the Agent takes client-side stats, the task first counts each chunk in {@link ClientStats}
 * and drops the chunks the sampler rejected instead of encoding them.
 */
public final class AgentWriter implements TraceWriter {

    public static final int DEFAULT_QUEUE_SIZE = 1024;
    private static final RateLimitedLog LOG = RateLimitedLog.of(AgentWriter.class);

    private final TraceQueue queue;
    private final int wakeAt;
    /** How long one run keeps draining a busy queue: the flush interval. */
    private final long busyNanos;
    private final DropCounter drops = new DropCounter();
    private final TraceEncoder encoder;
    private final PayloadSender sender;
    private final AgentApi api;
    private final FlushWorker worker;
    private final ClientStats stats;
    /** Set by {@link #flush}: the next run also sends the stats counted so far. */
    private volatile boolean flushStats;
    private final AtomicLong sentTraces = new AtomicLong();
    private final AtomicLong sentSpans = new AtomicLong();
    /** Hands a full payload to the sender; a field so that encoding allocates no lambda. */
    private final Consumer<EncodedPayload> sendFull = this::dispatch;
    /**
     * The payload being sent while the next one is encoded (the encoder's other buffer); the
     * writer's thread waits for it before sending another, so at most one is in flight.
     */
    private PayloadSender.InFlight inFlight;
    private volatile boolean closed;

    AgentWriter(AgentApi api, Sampling sampling, ClientStats stats, ScheduledExecutorService scheduler,
                int queueSize, int bufferCapBytes, Duration flushInterval, Duration agentTimeout) {
        this.api = api;
        this.stats = stats;
        this.queue = new TraceQueue(queueSize);
        this.wakeAt = Math.max(1, queueSize / 4);
        this.busyNanos = flushInterval.toNanos();
        this.encoder = new TraceEncoder(bufferCapBytes);
        this.sender = new PayloadSender(api, drops, sampling, flushInterval, agentTimeout);
        this.worker = new FlushWorker(scheduler, flushInterval, this::process);
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
            worker.wake();
        }
    }

    @Override
    public boolean flush(Duration timeout) {
        flushStats = true;
        return worker.flush(timeout);
    }

    @Override
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        boolean flushed = worker.close(timeout);
        if (!flushed) {
            LOG.warn("close-timeout", "could not send every trace within dd.trace.shutdown.timeout (%s)", timeout);
        }
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
        return sentTraces.get();
    }

    public long sentSpans() {
        return sentSpans.get();
    }

    /** Client-side stats: whether they are on, and what was sent. */
    public ClientStats stats() {
        return stats;
    }

    /** The worker's job: encode what is queued; send full payloads, and everything when asked. */
    private void process(boolean sendAll) {
        syncClientStats();
        // Read before draining: a flush asked for after this point gets a run of its own that
        // drains what it waits for and then sends the stats too.
        boolean allStats = sendAll && (closed || flushStats);
        if (allStats) {
            flushStats = false;
        }
        if (queue.size() > 0) {
            // Which form span events take; asks /info first if due, so an idle tracer makes no request.
            encoder.nativeSpanEvents(sender.nativeSpanEvents());
        }
        long busyUntil = System.nanoTime() + busyNanos;
        while (drain() >= wakeAt && !sendAll && System.nanoTime() - busyUntil < 0) {
            // Under load, stay runnable (yield) rather than block and wait to be scheduled again:
            // on a busy machine that wait is what lets the queue overflow.
            Thread.yield();
        }
        if (sendAll) {
            if (encoder.traceCount() > 0) {
                dispatch(encoder.finish());
                encoder.reset();
            }
            awaitInFlight();
        }
        stats.flush(api, allStats);
        if (queue.size() >= wakeAt) {
            worker.wake(); // more came in while this run worked
        }
    }

    /**
     * Decides for this run whether traces are counted in client-side stats. Every payload is wholly
     * counted or not at all, since its {@code Datadog-Client-Computed-Stats} header says which: so
     * when the decision changes, what was encoded under the old one is sent (and answered) first.
     */
    private void syncClientStats() {
        boolean computed = stats.refresh(sender.agentInfo(), api);
        if (computed != api.clientComputedStats()) {
            if (encoder.traceCount() > 0) {
                dispatch(encoder.finish());
                encoder.reset();
            }
            awaitInFlight();
            api.clientComputedStats(computed);
        }
    }

    /** Encodes up to a queue's worth of chunks; returns how many. */
    private int drain() {
        int budget = queue.capacity();
        int drained = 0;
        List<CoreSpan> chunk;
        while (drained < budget && (chunk = queue.poll()) != null) {
            drained++;
            if (!stats.admit(chunk)) {
                drops.record(DropCounter.Reason.P0, 1, chunk.size());
                continue;
            }
            if (!encoder.encode(chunk, sendFull)) {
                drops.record(DropCounter.Reason.ENCODING_FAILED, 1, chunk.size());
            }
        }
        return drained;
    }

    /** Starts sending a finished payload once the previous one is done; encoding goes on meanwhile. */
    private void dispatch(EncodedPayload payload) {
        awaitInFlight();
        inFlight = sender.start(payload);
    }

    private void awaitInFlight() {
        PayloadSender.InFlight sent = inFlight;
        if (sent == null) {
            return;
        }
        inFlight = null;
        if (sender.complete(sent)) {
            sentTraces.addAndGet(sent.payload().traceCount());
            sentSpans.addAndGet(sent.payload().spanCount());
        }
    }
}
