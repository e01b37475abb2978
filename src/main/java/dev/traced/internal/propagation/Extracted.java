package dev.traced.internal.propagation;

import dev.traced.internal.trace.PendingTrace;

import java.util.Map;

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
    /** W3C tracestate members of other vendors, ready to be passed on; null when none. */
    String traceState;
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
    /** W3C baggage items (the baggage style only); null when none. */
    Map<String, String> baggage;

    Extracted(String style) {
        this.style = style;
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
