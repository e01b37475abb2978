package dev.traced.internal.propagation;

import dev.traced.SpanContext;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.Ids;
import dev.traced.internal.trace.PendingTrace;
import dev.traced.internal.trace.RemoteContext;

import java.util.Map;

/**
 * What is injected: the ids of the span being injected (it becomes the callee's parent) and the
 * trace-level state, read once from a local span's trace or from a remote context.
 *
 * @param traceIdHigh      upper 64 bits of the trace id, 0 for a 64-bit id
 * @param traceIdLow       lower 64 bits, non-zero
 * @param spanId           the id of the span being injected, non-zero
 * @param samplingPriority the decided priority, or {@link PendingTrace#UNSET} (then no priority is sent)
 * @param origin           {@code _dd.origin} or null
 * @param propagationTags  the {@code _dd.p.*} tags, including {@code _dd.p.tid} for 128-bit ids
 * @param traceState       other vendors' tracestate members to pass on, or null
 * @param baggage          W3C baggage items
 * @param trace            the local trace, where injection errors are recorded; null for a remote context
 * @param randomTraceId    the W3C Level 2 random trace id flag to send
 * @param keepTags         true when the tags are a local trace's snapshot injected before: the styles
 *                         then keep the text they encode from it with the map ({@link SmallMap#keepEncoded})
 *                         for the trace's next calls; false for a trace's first call (most make one) and
 *                         for maps made for this injection only
 * @param keepBaggage      the same for the baggage map
 */
record OutgoingContext(long traceIdHigh, long traceIdLow, long spanId, int samplingPriority, String origin,
                       SmallMap propagationTags, String traceState, SmallMap baggage,
                       PendingTrace trace, boolean randomTraceId, boolean keepTags, boolean keepBaggage) {

    /** Read-only maps read by index: the styles walk them without allocating iterators. */
    OutgoingContext {
        propagationTags = SmallMap.of(propagationTags);
        baggage = SmallMap.of(baggage);
    }

    OutgoingContext(long traceIdHigh, long traceIdLow, long spanId, int samplingPriority, String origin,
                    Map<String, String> propagationTags, String traceState, Map<String, String> baggage,
                    PendingTrace trace, boolean randomTraceId) {
        this(traceIdHigh, traceIdLow, spanId, samplingPriority, origin, SmallMap.of(propagationTags), traceState,
                SmallMap.of(baggage), trace, randomTraceId, false, false);
    }

    /** The context to inject for a span or a remote context; null when it has no usable ids. */
    static OutgoingContext of(SpanContext context) {
        if (context instanceof CoreSpan span) {
            PendingTrace trace = span.trace();
            RemoteContext remote = trace.remoteParent();
            SmallMap tags = SmallMap.of(trace.propagationTags());
            SmallMap baggage = SmallMap.of(trace.baggage());
            return new OutgoingContext(span.traceIdHigh(), span.traceIdLow(), span.spanIdValue(),
                    trace.samplingPriority(), trace.origin(), tags, remote == null ? null : remote.traceState(),
                    baggage, trace, trace.isTraceIdRandom(), !tags.isEmpty() && tags.injectedBefore(),
                    !baggage.isEmpty() && baggage.injectedBefore());
        }
        if (context instanceof RemoteContext remote) {
            if (remote.traceIdLow() == 0 || remote.parentSpanId() == 0) {
                return null;
            }
            SmallMap tags = new SmallMap(remote.propagationTags().size() + 1);
            for (Map.Entry<String, String> tag : remote.propagationTags().entrySet()) {
                if (tag.getKey().startsWith("_dd.p.") && !tag.getKey().equals("_dd.p.tid")) {
                    tags.put(tag.getKey(), tag.getValue());
                }
            }
            if (remote.traceIdHigh() != 0) {
                tags.put("_dd.p.tid", Ids.toHex16(remote.traceIdHigh()));
            }
            return new OutgoingContext(remote.traceIdHigh(), remote.traceIdLow(), remote.parentSpanId(),
                    remote.samplingPriority(), remote.origin(), tags.freeze(), remote.traceState(),
                    SmallMap.of(remote.baggage()), null, remote.randomTraceId(), false, false);
        }
        return ofForeign(context);
    }

    /** Another implementation's context: only its hex ids are known. */
    private static OutgoingContext ofForeign(SpanContext context) {
        String traceId = context.traceId();
        String spanId = context.spanId();
        if (traceId == null || spanId == null || traceId.length() != 32 || !HeaderText.isLowerHex(traceId)
                || spanId.length() != 16 || !HeaderText.isLowerHex(spanId)) {
            return null;
        }
        long high = Ids.parseHex64(traceId, 0, 16);
        long low = Ids.parseHex64(traceId, 16, 32);
        long id = Ids.parseHex64(spanId, 0, 16);
        if (low == 0 || id == 0) {
            return null;
        }
        Map<String, String> tags = high == 0 ? Map.of() : Map.of("_dd.p.tid", Ids.toHex16(high));
        return new OutgoingContext(high, low, id, PendingTrace.UNSET, null, tags, null, context.baggage(), null, false);
    }

    /** Records an injection problem ({@code _dd.propagation_error}) on the local root, when local. */
    void reportError(String value) {
        if (trace != null) {
            trace.putRootMeta("_dd.propagation_error", value);
        }
    }
}
