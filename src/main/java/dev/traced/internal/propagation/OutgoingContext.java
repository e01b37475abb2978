package dev.traced.internal.propagation;

import dev.traced.SpanContext;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.Ids;
import dev.traced.internal.trace.PendingTrace;
import dev.traced.internal.trace.RemoteContext;
import dev.traced.internal.trace.TracerThreadLocal;

import java.util.Map;

/**
 * What is injected: the ids of the span being injected (it becomes the callee's parent) and the
 * trace-level state, read once from a local span's trace or from a remote context.
 *
 * <p>One per thread, filled for an injection and released after it: the styles read it while the
 * injection runs and keep nothing of it (a new object per call was a tenth of a default injection's
 * bytes). An injection started from inside another (a carrier that injects again) gets its own.
 *
 * <ul>
 *   <li>{@code traceIdHigh}: upper 64 bits of the trace id, 0 for a 64-bit id; {@code traceIdLow}: lower
 *       64 bits, non-zero; {@code spanId}: the id of the span being injected, non-zero;</li>
 *   <li>{@code samplingPriority}: the decided priority, or {@link PendingTrace#UNSET} (then no priority
 *       is sent); {@code origin}: {@code _dd.origin} or null;</li>
 *   <li>{@code propagationTags}: the {@code _dd.p.*} tags, including {@code _dd.p.tid} for 128-bit ids;
 *       {@code traceState}: other vendors' tracestate members to pass on, or null; {@code baggage}: W3C
 *       baggage items;</li>
 *   <li>{@code trace}: the local trace, where injection errors are recorded; null for a remote context;
 *       {@code randomTraceId}: the W3C Level 2 random trace id flag to send;</li>
 *   <li>{@code keepTags}: true when the tags are a local trace's snapshot injected before: the styles
 *       then keep the text they encode from it with the map ({@link SmallMap#keepEncoded}) for the
 *       trace's next calls; false for a trace's first call (most make one) and for maps made for this
 *       injection only; {@code keepBaggage}: the same for the baggage map;</li>
 *   <li>{@code traceIdDecimal}: {@code x-datadog-trace-id} as the caller sent it, for a trace continuing
 *       a remote context of the same lower trace id; null when it is to be formatted.</li>
 * </ul>
 */
final class OutgoingContext {

    /** A thread-local of reusable contexts, one per {@link Propagation} (see there why not static). */
    static TracerThreadLocal<OutgoingContext> newThreadContexts() {
        return TracerThreadLocal.withInitial(OutgoingContext::new);
    }

    private long traceIdHigh;
    private long traceIdLow;
    private long spanId;
    private int samplingPriority;
    private String origin;
    private SmallMap propagationTags;
    private String traceState;
    private int traceStateFrom;
    private SmallMap baggage;
    private String baggageText;
    private PendingTrace trace;
    private boolean randomTraceId;
    private boolean keepTags;
    private boolean keepBaggage;
    private String traceIdDecimal;
    /** True while an injection reads it. */
    private boolean inUse;

    private OutgoingContext() {
    }

    /** A filled context, with read-only maps read by index: the styles walk them without allocating iterators. */
    private static OutgoingContext fill(TracerThreadLocal<OutgoingContext> reusable, long traceIdHigh, long traceIdLow, long spanId, int samplingPriority,
                                        String origin, SmallMap propagationTags, String traceState,
                                        int traceStateFrom, SmallMap baggage,
                                        PendingTrace trace, boolean randomTraceId, boolean keepTags,
                                        boolean keepBaggage, String traceIdDecimal, String baggageText) {
        SmallMap tags = SmallMap.of(propagationTags);
        SmallMap items = SmallMap.of(baggage);
        OutgoingContext context = reusable.get();
        if (context.inUse) {
            context = new OutgoingContext();
        }
        context.inUse = true;
        context.traceIdHigh = traceIdHigh;
        context.traceIdLow = traceIdLow;
        context.spanId = spanId;
        context.samplingPriority = samplingPriority;
        context.origin = origin;
        context.propagationTags = tags;
        context.traceState = traceState;
        context.traceStateFrom = traceState == null ? 0 : traceStateFrom;
        context.baggage = items;
        context.trace = trace;
        context.randomTraceId = randomTraceId;
        context.keepTags = keepTags;
        context.keepBaggage = keepBaggage;
        context.traceIdDecimal = traceIdDecimal;
        context.baggageText = items.isEmpty() ? null : baggageText;
        return context;
    }

    /** Ends the injection: the context holds no reference to the trace or its maps until the next. */
    void release() {
        origin = null;
        propagationTags = null;
        traceState = null;
        baggage = null;
        trace = null;
        traceIdDecimal = null;
        baggageText = null;
        inUse = false;
    }

    long traceIdHigh() {
        return traceIdHigh;
    }

    long traceIdLow() {
        return traceIdLow;
    }

    long spanId() {
        return spanId;
    }

    int samplingPriority() {
        return samplingPriority;
    }

    String origin() {
        return origin;
    }

    SmallMap propagationTags() {
        return propagationTags;
    }

    /** The other vendors' members: this text from {@link #traceStateFrom()} to its end. */
    String traceState() {
        return traceState;
    }

    int traceStateFrom() {
        return traceStateFrom;
    }

    SmallMap baggage() {
        return baggage;
    }

    PendingTrace trace() {
        return trace;
    }

    boolean randomTraceId() {
        return randomTraceId;
    }

    boolean keepTags() {
        return keepTags;
    }

    boolean keepBaggage() {
        return keepBaggage;
    }

    String traceIdDecimal() {
        return traceIdDecimal;
    }

    /** The {@code baggage} header as received, while the baggage is the map read from it; else null. */
    String baggageText() {
        return baggageText;
    }

    /** The context to inject for a span or a remote context; null when it has no usable ids. */
    static OutgoingContext of(SpanContext context, TracerThreadLocal<OutgoingContext> reusable) {
        if (context instanceof CoreSpan span) {
            PendingTrace trace = span.trace();
            RemoteContext remote = trace.remoteParent();
            SmallMap tags = SmallMap.of(trace.propagationTags());
            SmallMap baggage = SmallMap.of(trace.baggage());
            return fill(reusable, span.traceIdHigh(), span.traceIdLow(), span.spanIdValue(),
                    trace.samplingPriority(), trace.origin(), tags, remote == null ? null : remote.traceStateSource(),
                    remote == null ? 0 : remote.traceStateFrom(),
                    baggage, trace, trace.isTraceIdRandom(), !tags.isEmpty() && tags.injectedBefore(),
                    !baggage.isEmpty() && baggage.injectedBefore(),
                    remote == null || remote.traceIdLow() != span.traceIdLow() ? null : remote.traceIdDecimal(),
                    remote != null && trace.baggage() == remote.baggage() ? remote.baggageText() : null);
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
            return fill(reusable, remote.traceIdHigh(), remote.traceIdLow(), remote.parentSpanId(),
                    remote.samplingPriority(), remote.origin(), tags.freeze(), remote.traceStateSource(),
                    remote.traceStateFrom(),
                    SmallMap.of(remote.baggage()), null, remote.randomTraceId(), false, false, remote.traceIdDecimal(),
                    remote.baggageText());
        }
        return ofForeign(context, reusable);
    }

    /** Another implementation's context: only its hex ids are known. */
    private static OutgoingContext ofForeign(SpanContext context, TracerThreadLocal<OutgoingContext> reusable) {
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
        return fill(reusable, high, low, id, PendingTrace.UNSET, null, SmallMap.of(tags), null, 0, SmallMap.of(context.baggage()),
                null, false, false, false, null, null);
    }

    /** Records an injection problem ({@code _dd.propagation_error}) on the local root, when local. */
    void reportError(String value) {
        if (trace != null) {
            trace.putRootMeta("_dd.propagation_error", value);
        }
    }
}
