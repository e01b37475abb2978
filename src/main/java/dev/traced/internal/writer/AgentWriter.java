package dev.traced.internal.writer;

import dev.traced.internal.config.Config;
import dev.traced.internal.encoding.EncodedPayload;
import dev.traced.internal.encoding.TraceEncoder;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.sampling.Sampling;
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

    AgentWriter(AgentApi api, Sampling sampling, ScheduledExecutorService scheduler, int queueSize,
                int bufferCapBytes, Duration flushInterval, Duration agentTimeout) {
        this.api = api;
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
        return new AgentWriter(new AgentApi(address.openTransport()), sampling, scheduler,
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
        // client_drop_p0s lets a tracer drop rejected traces only when it computes the stats the
        // Agent would have computed from them; this writer computes none, so every trace is sent.
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

    /** The worker's job: encode what is queued; send full payloads, and everything when asked. */
    private void process(boolean sendAll) {
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
        if (queue.size() >= wakeAt) {
            worker.wake(); // more came in while this run worked
        }
    }

    /** Encodes up to a queue's worth of chunks; returns how many. */
    private int drain() {
        int budget = queue.capacity();
        int drained = 0;
        List<CoreSpan> chunk;
        while (drained < budget && (chunk = queue.poll()) != null) {
            drained++;
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
