package dev.traced.internal.writer;

import dev.traced.internal.encoding.EncodedPayload;
import dev.traced.internal.encoding.TraceEncoder;
import dev.traced.internal.stats.ClientStats;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.transport.AgentApi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The writer's work, done on the writer's thread: the one place where a finished trace is taken off
 * the queue, encoded, and its payload handed to the {@link SendLane}. Each {@link #pass}:
 * <ol>
 *   <li>once, has the Agent's {@code /info} asked on the send lane, and waits for its answer while
 *       the queue is less than half full (it decides the form of the payload and client-side stats);</li>
 *   <li>takes traces off the queue and encodes them, as long as there are any (a full payload
 *       buffer goes to the send lane at once), so the queue empties as fast as it fills, also while
 *       a payload is on its way: the Agent is waited for on the send lane, not here;</li>
 *   <li>every {@code dd.trace.flush.interval}, and on {@link #requestFlush}, hands over the payload
 *       built so far;</li>
 *   <li>writes the drop report when due.</li>
 * </ol>
 *
 * <p>Memory is bounded whatever the Agent does: at most {@link #PAYLOADS_IN_FLIGHT} payloads are
 * handed over and not answered yet, each in its own encoder buffer, plus the one being encoded.
 * When they are all in flight (a slow or absent Agent), the pass stops taking traces; the queue
 * then fills and refuses new ones, counted as {@code QUEUE_FULL}.
 */
final class WriterLoop implements WriterThread.Work {

    /** Payloads handed to the send lane and not answered yet, at most: one being sent, one waiting. */
    static final int PAYLOADS_IN_FLIGHT = 2;
    /** Traces taken per pass before the clock is looked at again. */
    private static final int BATCH = 512;

    private final TraceQueue queue;
    private final ClientStats stats;
    private final AgentApi api;
    /** Whether the traces being encoded are counted in client-side stats; the writer's thread only. */
    private boolean statsComputed;
    private final TraceEncoder encoder;
    private final PayloadSender sender;
    private final SendLane lane;
    private final DropCounter drops;
    private final long intervalNanos;
    private final int wakeAt;
    private final Consumer<EncodedPayload> handFull = this::hand;
    /** Who to wake when a payload is answered; set once the thread exists. */
    private volatile Runnable wakeWriter = () -> { };

    /** Payloads answered (or dropped) by the send lane; the writer compares it with {@link #handed}. */
    private final AtomicLong completed = new AtomicLong();
    private final ConcurrentLinkedQueue<CompletableFuture<Boolean>> flushRequests = new ConcurrentLinkedQueue<>();
    /** The last pass stopped because every buffer was in flight: a completion is then urgent. */
    private volatile boolean blockedOnRoom;
    /** The first /info is not answered yet: traces wait for it, up to {@link #infoWaitLimit}. */
    private volatile boolean awaitingInfo;
    private final int infoWaitLimit;
    private final Runnable infoAnswered = () -> wakeWriter.run();
    /** Past the shutdown timeout: what is left is counted as dropped, not sent. */
    private volatile boolean abandoned;

    /** Passes that stopped taking traces because every buffer was in flight (the Agent is the bottleneck). */
    private volatile long roomWaits;

    // The writer's thread only.
    private long handed;
    private long nextSendAt;
    private boolean started;
    private final List<CompletableFuture<Boolean>> flushing = new ArrayList<>();
    /** Traces still to take before the pending flushes are answered: the queue's capacity when asked. */
    private int flushDrainLeft;

    WriterLoop(TraceQueue queue, TraceEncoder encoder, PayloadSender sender, SendLane lane, DropCounter drops,
               ClientStats stats, AgentApi api, long intervalNanos) {
        this.stats = stats;
        this.api = api;
        this.queue = queue;
        this.encoder = encoder;
        this.sender = sender;
        this.lane = lane;
        this.drops = drops;
        this.intervalNanos = intervalNanos;
        this.wakeAt = Math.max(1, queue.capacity() / 8);
        this.infoWaitLimit = Math.max(1, queue.capacity() / 2);
    }

    /** How many encoder buffers the loop needs: one per payload in flight, plus the one being filled. */
    static int bufferCount() {
        return PAYLOADS_IN_FLIGHT + 1;
    }

    void wakeWith(Runnable wake) {
        this.wakeWriter = wake;
    }

    /** The queue size at which an application thread wakes the writer (an eighth of the queue). */
    int wakeAt() {
        return wakeAt;
    }

    /** Asks for everything queued now to be handed to the send lane; the future completes once it was sent or dropped. */
    CompletableFuture<Boolean> requestFlush() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        flushRequests.add(done);
        return done;
    }

    /** From now on, nothing more is sent: the queue, the payload being built and those not sent yet count as dropped. */
    void abandon() {
        abandoned = true;
    }

    @Override
    public boolean wantsTraces() {
        return !blockedOnRoom && !waitsForInfo();
    }

    @Override
    public boolean urgent() {
        return abandoned || !flushRequests.isEmpty() || (awaitingInfo && sender.firstDiscoveryDone())
                || (hasRoom() && (blockedOnRoom || queue.size() >= (awaitingInfo ? infoWaitLimit : wakeAt)));
    }

    /** The last pass waited for the first /info, and would still: no answer, the queue less than half full. */
    private boolean waitsForInfo() {
        return awaitingInfo && !sender.firstDiscoveryDone() && queue.size() < infoWaitLimit;
    }

    @Override
    public long pass(long now) {
        if (!started) {
            started = true;
            nextSendAt = now + intervalNanos;
        }
        if (abandoned) {
            dropEverything();
            return now + intervalNanos;
        }
        CompletableFuture<Boolean> request;
        while ((request = flushRequests.poll()) != null) {
            flushing.add(request);
            flushDrainLeft = queue.capacity(); // covers whatever was queued before this request
        }
        boolean asked = false;
        if (queue.size() > 0 || !flushing.isEmpty()) {
            sender.discoverOnLane(lane, infoAnswered); // on the lane; an idle tracer makes no request
            asked = true;
        }
        // Waiting only once the question is on the lane: its answer wakes the writer. An idle first
        // pass must not wait, or on a container's scheduler (woken only by a tick that skips a writer
        // waiting for /info) nothing would ever ask.
        awaitingInfo = asked && !sender.firstDiscoveryDone();
        if (awaitingInfo && queue.size() < infoWaitLimit) {
            // The first /info decides the form of span events and whether traces are counted in
            // client-side stats: traces wait for it in the queue, but only while the queue is less
            // than half full. Past that, they go as if the Agent had not answered (events in the
            // tag form, no stats), rather than be dropped. The answer wakes the writer.
            drops.logIfDue(now);
            return now + intervalNanos;
        }
        encoder.nativeSpanEvents(sender.nativeSpanEvents());
        if (!syncClientStats()) {
            blockedOnRoom = true;
            return now + intervalNanos; // a completion wakes the writer sooner
        }
        boolean budgetLeft = drain();
        boolean due = now - nextSendAt >= 0;
        if (encoder.traceCount() > 0 && (due || (!flushing.isEmpty() && flushDrainLeft == 0))) {
            if (hasRoom()) {
                hand(encoder.finish());
                encoder.reset();
                if (due) {
                    nextSendAt = now + intervalNanos;
                }
            } else {
                blockedOnRoom = true; // sent as soon as a payload in flight is answered
            }
        } else if (due) {
            nextSendAt = now + intervalNanos;
        }
        boolean flushDone = !flushing.isEmpty() && flushDrainLeft == 0 && encoder.traceCount() == 0;
        // Every 10 s; all of it on flush. Encoded here, sent on the lane: before the flush is answered.
        stats.flush(api, flushDone, lane::submit);
        if (flushDone) {
            List<CompletableFuture<Boolean>> answered = List.copyOf(flushing);
            flushing.clear();
            // Answered on the lane after every payload handed before: the flush is done when they are.
            lane.submit(() -> answered.forEach(future -> future.complete(true)));
        }
        drops.logIfDue(now);
        if (blockedOnRoom) {
            return now + intervalNanos; // a completion wakes the writer sooner
        }
        return budgetLeft ? nextSendAt : now;
    }

    /** Takes up to {@link #BATCH} traces; false when it stopped with traces left and room to take them. */
    private boolean drain() {
        blockedOnRoom = false;
        for (int taken = 0; taken < BATCH; taken++) {
            if (!hasRoom()) {
                blockedOnRoom = true;
                roomWaits++; // the writer's thread only writes it
                return true;
            }
            List<CoreSpan> chunk = queue.poll();
            if (chunk == null) {
                flushDrainLeft = 0;
                return true;
            }
            if (flushDrainLeft > 0) {
                flushDrainLeft--;
            }
            take(chunk);
        }
        return false;
    }

    /**
     * Decides whether traces are counted in client-side stats from now on. Every payload is wholly
     * counted or not at all, since its {@code Datadog-Client-Computed-Stats} header says which: when
     * the decision changes, what was encoded under the old one is handed over first, and the header
     * changes on the send lane after the payloads handed before. False when that payload must wait
     * for room.
     */
    private boolean syncClientStats() {
        boolean computed = stats.refresh(sender.agentInfo(), api, lane::submit);
        if (computed == statsComputed) {
            return true;
        }
        if (encoder.traceCount() > 0) {
            if (!hasRoom()) {
                return false;
            }
            hand(encoder.finish());
            encoder.reset();
        }
        statsComputed = computed;
        lane.submit(() -> api.clientComputedStats(computed));
        return true;
    }

    /**
     * One finished trace, taken off the queue: counted in client-side stats when they are on
     * (a rejected trace is then dropped, not sent), and encoded into the payload being built.
     */
    private void take(List<CoreSpan> chunk) {
        if (!stats.admit(chunk)) {
            drops.record(DropCounter.Reason.P0, 1, chunk.size());
            return;
        }
        if (!encoder.encode(chunk, handFull)) {
            drops.record(DropCounter.Reason.ENCODING_FAILED, 1, chunk.size());
        }
    }

    /**
     * Hands a finished payload to the send lane; the encoder then reuses the oldest buffer, which
     * must not be in flight. The pass only takes a trace when there is room, so this waits only for
     * a trace that fills more than one payload on its own.
     */
    private void hand(EncodedPayload payload) {
        while (!hasRoom() && !abandoned) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (abandoned) {
            drops.record(DropCounter.Reason.SHUTDOWN_TIMEOUT, payload.traceCount(), payload.spanCount());
            return;
        }
        handed++;
        lane.submit(() -> deliver(payload));
    }

    /** On the send lane. */
    private void deliver(EncodedPayload payload) {
        try {
            if (abandoned) {
                drops.record(DropCounter.Reason.SHUTDOWN_TIMEOUT, payload.traceCount(), payload.spanCount());
            } else {
                sender.deliver(payload);
            }
        } finally {
            completed.incrementAndGet();
            wakeWriter.run();
        }
    }

    long roomWaits() {
        return roomWaits;
    }

    /** Payloads handed and not answered; exact on the writer's thread only. */
    int inFlight() {
        return (int) (handed - completed.get());
    }

    private boolean hasRoom() {
        return handed - completed.get() < PAYLOADS_IN_FLIGHT;
    }

    private void dropEverything() {
        if (encoder.traceCount() > 0) {
            drops.record(DropCounter.Reason.SHUTDOWN_TIMEOUT, encoder.traceCount(), encoder.spanCount());
            encoder.finish();
            encoder.reset(); // safe: nothing in flight is sent any more, see deliver
        }
        List<CoreSpan> chunk;
        while ((chunk = queue.poll()) != null) {
            drops.record(DropCounter.Reason.SHUTDOWN_TIMEOUT, 1, chunk.size());
        }
        CompletableFuture<Boolean> request;
        while ((request = flushRequests.poll()) != null) {
            request.complete(false);
        }
        flushing.forEach(future -> future.complete(false));
        flushing.clear();
    }
}
