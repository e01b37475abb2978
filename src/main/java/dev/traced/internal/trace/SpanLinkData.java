package dev.traced.internal.trace;

import dev.traced.FinishedSpan;

import java.util.Map;

/**
 * One span link as it is sent in the span's {@code span_links}: the Agent's {@code SpanLink}. Immutable.
 *
 * @param traceIdHigh upper 64 bits of the linked trace id ({@code trace_id_high}, left out when 0)
 * @param traceIdLow  lower 64 bits ({@code trace_id})
 * @param spanIdValue the linked span ({@code span_id})
 * @param attributes  string attributes, unmodifiable, in insertion order
 * @param traceState  the linked context's W3C {@code tracestate}, or null
 * @param flags       the W3C trace flags with bit 31 set, or 0 when unknown (then left out)
 */
public record SpanLinkData(long traceIdHigh, long traceIdLow, long spanIdValue, Map<String, String> attributes,
                           String traceState, long flags) implements FinishedSpan.Link {

    /** Bit 31: tells the Agent that the flags are set, so that 0 (not sampled) differs from unknown. */
    public static final long FLAGS_SET = 1L << 31;
    public static final long SAMPLED = 1;

    /** The flags of a context with this sampling priority ({@link PendingTrace#UNSET}: unknown). */
    public static long flagsOf(int samplingPriority) {
        if (samplingPriority == PendingTrace.UNSET) {
            return 0;
        }
        return FLAGS_SET | (samplingPriority > 0 ? SAMPLED : 0);
    }

    @Override
    public String traceId() {
        return Ids.toHex32(traceIdHigh, traceIdLow);
    }

    @Override
    public String spanId() {
        return Ids.toHex16(spanIdValue);
    }

    /** The memory this link holds, in characters, for the per-span budget. */
    int weight() {
        int weight = 32 + (traceState == null ? 0 : traceState.length());
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            weight += entry.getKey().length() + entry.getValue().length() + 8;
        }
        return weight;
    }
}
