package dev.traced.internal.trace;

import dev.traced.SpanContext;
import dev.traced.internal.propagation.SmallMap;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A context read from another process's headers: the parent of the spans this process starts for
 * that request. Immutable.
 *
 * @param traceIdHigh       upper 64 bits of the trace id (0 when the caller sent 64 bits only)
 * @param traceIdLow        lower 64 bits of the trace id, never 0
 * @param parentSpanId      the caller's span id, the parent of our local root
 * @param samplingPriority  the caller's priority, or {@link PendingTrace#UNSET}
 * @param origin            {@code _dd.origin}, or null
 * @param propagationTags   the {@code _dd.p.*} tags (never {@code _dd.p.tid}: the upper bits are
 *                          {@code traceIdHigh}), and the tags that go on the local root only:
 *                          {@code _dd.parent_id}, {@code _dd.propagation_error}, {@code baggage.<key>}
 * @param traceState        W3C {@code tracestate} members of other vendors to pass on, from
 *                          {@code traceStateFrom} to the end (see {@link #traceState()}), or null
 * @param baggage           W3C baggage items
 * @param spanLinks         links the local root records ({@code terminated_context}: contexts of other
 *                          traces in the same headers); empty when none
 * @param randomTraceId     the caller's W3C Level 2 random trace id flag: kept on the traceparent this
 *                          trace sends on (false when the caller sent no traceparent: not known)
 * @param traceIdDecimal    {@code x-datadog-trace-id} as received, when it is the canonical decimal form
 *                          of {@code traceIdLow} (then it goes out again as it came instead of being
 *                          formatted anew for every call); null otherwise
 * @param traceStateFrom    where the other vendors' members start in {@code traceState}: the received
 *                          header is kept as it came when they end it, rather than copied out of it
 * @param baggageText       the {@code baggage} header as received, when it is exactly what injecting
 *                          {@code baggage} writes: a trace whose baggage is still that map sends it on
 *                          as it came; null otherwise
 */
public record RemoteContext(long traceIdHigh, long traceIdLow, long parentSpanId, int samplingPriority,
                            String origin, Map<String, String> propagationTags, String traceState,
                            Map<String, String> baggage, List<SpanLinkData> spanLinks, boolean randomTraceId,
                            String traceIdDecimal, int traceStateFrom, String baggageText)
        implements SpanContext {

    /** A context whose trace id text was not received, with its other vendors' members as a whole. */
    public RemoteContext(long traceIdHigh, long traceIdLow, long parentSpanId, int samplingPriority, String origin,
                         Map<String, String> propagationTags, String traceState, Map<String, String> baggage,
                         List<SpanLinkData> spanLinks, boolean randomTraceId) {
        this(traceIdHigh, traceIdLow, parentSpanId, samplingPriority, origin, propagationTags, traceState, baggage,
                spanLinks, randomTraceId, null, 0, null);
    }

    /** A context whose trace id is not known to be random (no W3C Level 2 flag). */
    public RemoteContext(long traceIdHigh, long traceIdLow, long parentSpanId, int samplingPriority, String origin,
                         Map<String, String> propagationTags, String traceState, Map<String, String> baggage,
                         List<SpanLinkData> spanLinks) {
        this(traceIdHigh, traceIdLow, parentSpanId, samplingPriority, origin, propagationTags, traceState, baggage,
                spanLinks, false, null, 0, null);
    }

    /**
     * The maps are handed over, not copied (one extraction makes them and keeps no reference; copying
     * them cost a third of an extraction): a caller must not change them afterwards. Their order is
     * kept: headers are written in the order the tags and items came.
     */
    public RemoteContext {
        propagationTags = readOnly(propagationTags);
        baggage = readOnly(baggage);
        if (baggage.isEmpty()) {
            baggageText = null;
        }
        spanLinks = spanLinks == null || spanLinks.isEmpty() ? List.of() : List.copyOf(spanLinks);
        if (traceState == null || traceStateFrom < 0 || traceStateFrom >= traceState.length()) {
            traceState = traceStateFrom == 0 ? traceState : null;
            traceStateFrom = 0;
        }
    }

    /** The other vendors' {@code tracestate} members to pass on, or null (a copy when they were kept in place). */
    @Override
    public String traceState() {
        return traceStateFrom == 0 ? traceState : traceState.substring(traceStateFrom);
    }

    /** The text holding the other vendors' members from {@link #traceStateFrom()} on: read without a copy. */
    public String traceStateSource() {
        return traceState;
    }

    private static Map<String, String> readOnly(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return map instanceof SmallMap small ? small.freeze() : Collections.unmodifiableMap(map);
    }

    @Override
    public String traceId() {
        return Ids.toHex32(traceIdHigh, traceIdLow);
    }

    @Override
    public String spanId() {
        return Ids.toHex16(parentSpanId);
    }

    @Override
    public String getBaggageItem(String key) {
        return key == null ? null : baggage.get(key);
    }
}
