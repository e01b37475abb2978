package dev.traced.internal.writer;

import dev.traced.internal.log.RateLimitedLog;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts every trace the writer drops, by reason, and says so in the log at most once a minute per
 * reason. Traces dropped before reaching the Agent (queue full, priority ≤ 0) are also reported to
 * it in the next payload's {@code Datadog-Client-Dropped-P0-Traces}/{@code -Spans} headers, as
 * dd-trace-java does, so that the Agent's sampling rates account for them.
 */
public final class DropCounter {

    /** Why a trace was dropped. */
    public enum Reason {
        QUEUE_FULL("the writer queue is full (dd.trace.writer.queue.size)", true),
        P0("its sampling priority is <= 0 and the Agent computes stats (client_drop_p0s)", true),
        AGENT_REJECTED("the Agent rejected the payload (400 or 413)", false),
        SEND_FAILED("the Agent could not be reached, timed out or kept failing (429/5xx) after retries", false),
        ENCODING_FAILED("it could not be encoded", false),
        CLOSED("the writer was closed", false);

        private final String why;
        private final boolean reportedToAgent;

        Reason(String why, boolean reportedToAgent) {
            this.why = why;
            this.reportedToAgent = reportedToAgent;
        }
    }

    private static final RateLimitedLog LOG = RateLimitedLog.of(DropCounter.class);

    private final AtomicLongArray traces = new AtomicLongArray(Reason.values().length);
    private final AtomicLongArray spans = new AtomicLongArray(Reason.values().length);
    private final AtomicLong unreportedTraces = new AtomicLong();
    private final AtomicLong unreportedSpans = new AtomicLong();

    /** Counts a drop and logs it (rate-limited). Never throws. */
    public void record(Reason reason, int traceCount, int spanCount) {
        int i = reason.ordinal();
        long total = traces.addAndGet(i, traceCount);
        long totalSpans = spans.addAndGet(i, spanCount);
        if (reason.reportedToAgent) {
            unreportedTraces.addAndGet(traceCount);
            unreportedSpans.addAndGet(spanCount);
        }
        LOG.warn("dropped-" + reason.name(), "dropped %d trace(s) (%d spans) because %s; %d traces (%d spans) "
                + "dropped for this reason since start", traceCount, spanCount, reason.why, total, totalSpans);
    }

    public long traces(Reason reason) {
        return traces.get(reason.ordinal());
    }

    public long spans(Reason reason) {
        return spans.get(reason.ordinal());
    }

    /** Traces dropped for any reason since start. */
    public long totalTraces() {
        long sum = 0;
        for (int i = 0; i < traces.length(); i++) {
            sum += traces.get(i);
        }
        return sum;
    }

    public long totalSpans() {
        long sum = 0;
        for (int i = 0; i < spans.length(); i++) {
            sum += spans.get(i);
        }
        return sum;
    }

    /** Takes the counts to report in the next payload: {traces, spans}; they are zero afterwards. */
    long[] takeUnreported() {
        return new long[] {unreportedTraces.getAndSet(0), unreportedSpans.getAndSet(0)};
    }

    /** Puts back counts taken for a payload that did not reach the Agent. */
    void restoreUnreported(long[] counts) {
        unreportedTraces.addAndGet(counts[0]);
        unreportedSpans.addAndGet(counts[1]);
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
