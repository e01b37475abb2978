package dev.traced;

import java.util.Map;

/**
 * The identity of a span as it crosses process boundaries: what {@link Tracer#inject} writes and
 * {@link Tracer#extract} reads.
 */
public interface SpanContext {

    /**
     * The 128-bit trace id.
     *
     * @return 32 lower-case hex characters
     */
    String traceId();

    /**
     * The 64-bit span id.
     *
     * @return 16 lower-case hex characters
     */
    String spanId();

    // ---- W3C baggage --------------------------------------------------------------------------

    /**
     * The W3C baggage of this context's trace: the items that came in the {@code baggage} header and
     * those set with {@link Span#setBaggageItem}, in the order they were set; ddtrace's
     * {@code context.get_all_baggage_items()}.
     *
     * @return the items, unmodifiable; empty when none
     */
    default Map<String, String> baggage() {
        return Map.of();
    }

    /**
     * One baggage item: ddtrace's {@code context.get_baggage_item(key)}.
     *
     * @param key the item's name
     * @return its value, or null when absent
     */
    default String getBaggageItem(String key) {
        return key == null ? null : baggage().get(key);
    }
}
