package dev.traced.internal.trace;

import dev.traced.FinishedSpan;

import java.util.List;
import java.util.Map;

/**
 * One span event as it is sent: natively in {@code span_events}, or in the {@code events} tag.
 * Immutable.
 *
 * @param name       the event's name
 * @param epochNanos when it happened ({@code time_unix_nano})
 * @param attributes unmodifiable, in insertion order; values are String, Boolean, Long, Double, or an
 *                   unmodifiable List of one of those (see {@link EventAttributes})
 */
public record SpanEventData(String name, long epochNanos, Map<String, Object> attributes)
        implements FinishedSpan.Event {

    /** The memory this event holds, in characters, for the per-span budget. */
    int weight() {
        int weight = 16 + name.length();
        for (Map.Entry<String, Object> entry : attributes.entrySet()) {
            weight += entry.getKey().length() + 8 + valueWeight(entry.getValue());
        }
        return weight;
    }

    private static int valueWeight(Object value) {
        if (value instanceof String text) {
            return text.length();
        }
        if (value instanceof List<?> list) {
            int weight = 0;
            for (Object element : list) {
                weight += 8 + valueWeight(element);
            }
            return weight;
        }
        return 8;
    }
}
