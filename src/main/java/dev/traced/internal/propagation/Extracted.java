package dev.traced.internal.propagation;

import dev.traced.internal.trace.PendingTrace;
import dev.traced.internal.trace.RemoteContext;
import dev.traced.internal.trace.TracerThreadLocal;


/**
 * What one style read from the headers, before {@link Propagation} reconciles the styles. Mutable and
 * confined to one extraction; {@link RemoteContext} takes its values (and its tag map), never the
 * object, so each thread reuses two ({@link #lend}).
 */
final class Extracted {

    String style;
    long traceIdHigh;
    long traceIdLow;
    long spanId;
    int samplingPriority = PendingTrace.UNSET;
    String origin;
    /**
     * {@code _dd.p.*} tags and the root tags {@code _dd.propagation_error} / {@code _dd.parent_id};
     * null until the first (a context read only to be reconciled or linked carries none).
     */
    private SmallMap tags;
    /**
     * W3C tracestate members of other vendors, ready to be passed on: {@code traceState} from
     * {@code traceStateFrom} to its end (the received header itself when they end it, so that no
     * copy is made); null when none.
     */
    String traceState;
    int traceStateFrom;
    /** The whole tracestate as received (kept for span links); null when none. */
    String fullTraceState;
    /**
     * Where the W3C {@code p:} of the {@code dd} member is (the last Datadog span id, 16 hex): the
     * tracestate and the offset; null when absent. Cut out only when used (it is unused when another
     * style's context wins).
     */
    String lastParentSource;
    int lastParentFrom;
    /** The W3C/B3 sampled flag, when the style carries one. */
    boolean sampledFlag;
    /** The W3C Level 2 random trace id flag ({@code 0x02}): the caller says the id's low 56 bits are random. */
    boolean randomTraceId;
    /**
     * {@code x-datadog-trace-id} as received when it is the canonical decimal of {@code traceIdLow}
     * (the Datadog style only); null otherwise.
     */
    String traceIdDecimal;

    Extracted(String style) {
        this.style = style;
    }

    /**
     * The thread's two results, reused by every extraction: this one for the context that wins (a
     * {@code RemoteContext} copies it), {@link #later} for each context read after it (only compared
     * with the winner and merged into it, or turned into a span link at once). New ones were about a
     * fifth of an extraction's bytes. The thread-local is the {@link Propagation}'s, not a static one,
     * and emptied when the tracer closes: a value of a class of the application left on a pooled
     * container thread pins the application's class loader after a redeploy.
     */
    static TracerThreadLocal<Extracted> newThreadPairs() {
        return TracerThreadLocal.withInitial(Extracted::pair);
    }

    /** The second of the pair; null on the second itself. */
    private Extracted later;
    /** True while the pair is lent to an extraction of this thread. */
    private boolean lent;

    private static Extracted pair() {
        Extracted first = new Extracted(null);
        first.later = new Extracted(null);
        return first;
    }

    /**
     * The thread's pair for one extraction, to {@link #giveBack} after it; a new pair when the thread
     * is already extracting (a carrier whose getter extracts too), so neither overwrites the other.
     */
    static Extracted lend(TracerThreadLocal<Extracted> threadPairs) {
        Extracted first = threadPairs.get();
        if (first.lent) {
            return pair();
        }
        first.lent = true;
        return first;
    }

    void giveBack() {
        lent = false;
    }

    /** The pair's object for contexts read after the winner. */
    Extracted later() {
        return later;
    }

    /** Clears what the last use read; returns this. */
    Extracted reset(String style) {
        this.style = style;
        traceIdHigh = 0;
        traceIdLow = 0;
        spanId = 0;
        samplingPriority = PendingTrace.UNSET;
        origin = null;
        tags = null;
        traceState = null;
        traceStateFrom = 0;
        fullTraceState = null;
        lastParentSource = null;
        lastParentFrom = 0;
        sampledFlag = false;
        randomTraceId = false;
        traceIdDecimal = null;
        return this;
    }

    /** True when the ids make a parent: a non-zero trace id (lower 64 bits) and span id. */
    boolean isComplete() {
        return traceIdLow != 0 && spanId != 0;
    }

    /** The W3C {@code p:} value, or null. */
    String lastParentId() {
        return lastParentSource == null ? null : lastParentSource.substring(lastParentFrom, lastParentFrom + 16);
    }

    /** The tags, made on first use. */
    SmallMap tags() {
        SmallMap map = tags;
        if (map == null) {
            map = new SmallMap(0);
            tags = map;
        }
        return map;
    }

    /** The tags read so far, or null when none. */
    SmallMap tagsOrNull() {
        return tags;
    }

    void error(String value) {
        tags().put("_dd.propagation_error", value);
    }
}
