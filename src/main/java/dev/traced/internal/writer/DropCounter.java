package dev.traced.internal.writer;

import dev.traced.internal.log.RateLimitedLog;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every trace the writer did not deliver, by reason, and reports each one to the Agent once:
 * in the {@code Datadog-Client-Dropped-P0-Traces}/{@code -Spans} headers of a later payload that
 * the Agent accepts, as dd-trace-java does, so that the Agent's sampling rates account for them.
 * Counts sent with a payload that then fails are put back and go with the next one.
 *
 * <p>Recording is cheap and contention-free (striped counters, nothing else): it runs on
 * application threads whenever the queue is full. The log line (at most one a minute, with the
 * totals by reason) is written by the writer's thread ({@link #logIfDue}).
 */
public final class DropCounter {

    /** Why a trace was not delivered. */
    public enum Reason {
        QUEUE_FULL("the writer queue was full (dd.trace.writer.queue.size)"),
        P0("its sampling priority is <= 0 and this tracer counted it in the stats it sends (client-side stats)"),
        AGENT_REJECTED("the Agent rejected the payload (400 or 413)"),
        SEND_FAILED("the Agent could not be reached, timed out or kept failing (429/5xx) after retries"),
        ENCODING_FAILED("it could not be encoded"),
        SHUTDOWN_TIMEOUT("it was not sent within dd.trace.shutdown.timeout"),
        CLOSED("it was finished after the tracer was closed");

        private final String why;

        Reason(String why) {
            this.why = why;
        }
    }

    private static final RateLimitedLog LOG = RateLimitedLog.of(DropCounter.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final LongAdder[] traces = adders();
    private final LongAdder[] spans = adders();
    /** What the payloads sent so far carried (less what failed); the send lane's only. */
    private long reportedTraces;
    private long reportedSpans;
    /** Totals at the last log line, and when it was written; the writer's thread only. */
    private final long[] loggedTraces = new long[Reason.values().length];
    private long lastLog;
    private boolean loggedOnce;

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[Reason.values().length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** Counts a drop. Never throws, never logs: it may run on an application thread. */
    public void record(Reason reason, int traceCount, int spanCount) {
        int i = reason.ordinal();
        traces[i].add(traceCount);
        spans[i].add(spanCount);
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
     * Takes the counts the next payload reports, {traces, spans}: every drop not yet carried by a
     * payload. Send lane only; give them back with {@link #restoreUnreported} when that payload fails.
     */
    long[] takeUnreported() {
        long allTraces = totalTraces();
        long allSpans = totalSpans();
        long[] delta = {allTraces - reportedTraces, allSpans - reportedSpans};
        reportedTraces = allTraces;
        reportedSpans = allSpans;
        return delta;
    }

    /** Puts back counts taken for a payload that did not reach the Agent: the next payload carries them. */
    void restoreUnreported(long[] counts) {
        reportedTraces -= counts[0];
        reportedSpans -= counts[1];
    }

    /**
     * Writes one warning with what was dropped since the previous one, by reason, and the totals
     * since start: at once for the first drops, then at most once a minute. The writer's thread calls
     * it on every pass; it costs a time check when there is nothing to say.
     */
    void logIfDue(long nowNanos) {
        if (loggedOnce && nowNanos - lastLog < LOG_INTERVAL_NANOS) {
            return;
        }
        StringBuilder recent = null;
        long recentTraces = 0;
        for (Reason reason : Reason.values()) {
            long total = traces(reason);
            long since = total - loggedTraces[reason.ordinal()];
            if (since > 0) {
                recent = recent == null ? new StringBuilder() : recent.append("; ");
                recent.append(String.format("%,d because %s", since, reason.why));
                recentTraces += since;
                loggedTraces[reason.ordinal()] = total;
            }
        }
        if (recent == null) {
            return;
        }
        loggedOnce = true;
        lastLog = nowNanos;
        LOG.warn("dropped-traces", "%,d trace(s) not delivered to the Agent since the last report: %s. %s",
                recentTraces, recent, this);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("dropped traces since start:");
        for (Reason reason : Reason.values()) {
            text.append(' ').append(reason).append('=').append(traces(reason));
        }
        return text.toString();
    }
}
