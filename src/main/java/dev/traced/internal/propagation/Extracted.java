package dev.traced.internal.propagation;

import dev.traced.internal.trace.PendingTrace;


/**
 * What one style read from the headers, before {@link Propagation} reconciles the styles. Mutable and
 * confined to one extraction.
 */
final class Extracted {

    final String style;
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
     * The thread's W3C result for a context read after another style's won: it is only compared with
     * the winner and merged into it, or turned into a span link at once, so one per thread is enough
     * (a second object per extraction was an eighth of its bytes). Reset before each use.
     */
    private static final ThreadLocal<Extracted> AFTER_WINNER =
            ThreadLocal.withInitial(() -> new Extracted("tracecontext"));

    static Extracted afterWinner() {
        Extracted context = AFTER_WINNER.get();
        context.traceIdHigh = 0;
        context.traceIdLow = 0;
        context.spanId = 0;
        context.samplingPriority = PendingTrace.UNSET;
        context.origin = null;
        context.tags = null;
        context.traceState = null;
        context.traceStateFrom = 0;
        context.fullTraceState = null;
        context.lastParentSource = null;
        context.lastParentFrom = 0;
        context.sampledFlag = false;
        context.randomTraceId = false;
        context.traceIdDecimal = null;
        return context;
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
