package dev.traced.internal.writer;

import dev.traced.internal.log.RateLimitedLog;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every trace the writer drops, by reason, and says so in the log at most once a minute per
 * reason. Traces dropped before reaching the Agent (queue full, priority ≤ 0) are also reported to
 * it in the next payload's {@code Datadog-Client-Dropped-P0-Traces}/{@code -Spans} headers, as
 * dd-trace-java does, so that the Agent's sampling rates account for them.
 *
 * <p>Recording is cheap and contention-free (striped counters, a time check before logging): it
 * runs on application threads whenever the queue is full.
 */
public final class DropCounter {

    /** Why a trace was dropped. */
    public enum Reason {
        QUEUE_FULL("the writer queue is full (dd.trace.writer.queue.size)", true),
        P0("its sampling priority is <= 0 and this tracer counted it in the stats it sends (client-side stats)", true),
        AGENT_REJECTED("the Agent rejected the payload (400 or 413)", false),
        SEND_FAILED("the Agent could not be reached, timed out or kept failing (429/5xx) after retries", false),
        ENCODING_FAILED("it could not be encoded", false),
        CLOSED("the writer was closed", false);

        private final String why;
        private final boolean reportedToAgent;
        private final String logKey = "dropped-" + name();

        Reason(String why, boolean reportedToAgent) {
            this.why = why;
            this.reportedToAgent = reportedToAgent;
        }
    }

    private static final RateLimitedLog LOG = RateLimitedLog.of(DropCounter.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final LongAdder[] traces = adders();
    private final LongAdder[] spans = adders();
    /** When each reason may be logged again; checked before building any log message. */
    private final AtomicLongArray nextLog = new AtomicLongArray(Reason.values().length);
    /** What the previous payloads already reported; touched by the writer's thread only. */
    private long reportedTraces;
    private long reportedSpans;

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[Reason.values().length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** Counts a drop and logs it (rate-limited). Never throws. */
    public void record(Reason reason, int traceCount, int spanCount) {
        int i = reason.ordinal();
        traces[i].add(traceCount);
        spans[i].add(spanCount);
        long now = System.nanoTime();
        long next = nextLog.get(i);
        // A plain read on the hot path; only the thread that wins the CAS builds the message.
        if ((next == 0 || now - next >= 0) && nextLog.compareAndSet(i, next, now + LOG_INTERVAL_NANOS)) {
            LOG.warn(reason.logKey, "dropped %d trace(s) (%d spans) because %s; %d traces (%d spans) "
                    + "dropped for this reason since start", traceCount, spanCount, reason.why, traces(reason),
                    spans(reason));
        }
    }

    public long traces(Reason reason) {
        return traces[reason.ordinal()].sum();
    }

    public long spans(Reason reason) {
        return spans[reason.ordinal()].sum();
    }

    /** Traces dropped for any reason since start. */
    public long totalTraces() {
        long sum = 0;
        for (LongAdder adder : traces) {
            sum += adder.sum();
        }
        return sum;
    }

    public long totalSpans() {
        long sum = 0;
        for (LongAdder adder : spans) {
            sum += adder.sum();
        }
        return sum;
    }

    /**
     * Takes the counts to report in the next payload, {traces, spans}: those dropped before reaching
     * the Agent since the last payload. Writer's thread only.
     */
    long[] takeUnreported() {
        long allTraces = 0;
        long allSpans = 0;
        for (Reason reason : Reason.values()) {
            if (reason.reportedToAgent) {
                allTraces += traces(reason);
                allSpans += spans(reason);
            }
        }
        long[] delta = {allTraces - reportedTraces, allSpans - reportedSpans};
        reportedTraces = allTraces;
        reportedSpans = allSpans;
        return delta;
    }

    /** Puts back counts taken for a payload that did not reach the Agent. */
    void restoreUnreported(long[] counts) {
        reportedTraces -= counts[0];
        reportedSpans -= counts[1];
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("dropped traces:");
        for (Reason reason : Reason.values()) {
            text.append(' ').append(reason).append('=').append(traces(reason));
        }
        return text.toString();
    }
}
