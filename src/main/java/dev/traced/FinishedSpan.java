package dev.traced;

import java.util.List;
import java.util.Map;

/**
 * A span after it finished, as writers and tests see it: plain values that no longer change.
 */
public interface FinishedSpan {

    /**
     * The trace id.
     *
     * @return 32 lower-case hex characters
     */
    String traceId();

    /**
     * The span id.
     *
     * @return 16 lower-case hex characters
     */
    String spanId();

    /**
     * The parent span's id.
     *
     * @return 16 lower-case hex characters, all zeros for a root span
     */
    String parentId();

    /**
     * The service name.
     *
     * @return the span's service
     */
    String service();

    /**
     * The operation name.
     *
     * @return the span's operation name
     */
    String operationName();

    /**
     * The resource name.
     *
     * @return what the operation acted on
     */
    String resource();

    /**
     * The span type.
     *
     * @return the span type, null when unset
     */
    String spanType();

    /**
     * When the span started.
     *
     * @return nanoseconds since the epoch
     */
    long startEpochNanos();

    /**
     * How long the span lasted.
     *
     * @return nanoseconds
     */
    long durationNanos();

    /**
     * Whether the span is an error.
     *
     * @return true when the span's error flag is set
     */
    boolean isError();

    /**
     * String tags, including global tags and the ones the tracer adds.
     *
     * @return tag names and values
     */
    Map<String, String> meta();

    /**
     * Numeric tags, including the ones the tracer adds.
     *
     * @return tag names and values
     */
    Map<String, Number> metrics();

    // ---- span links and span events ------------------------------------------------------------

    /**
     * The span's links, in the order they were added; those made by the tracer come first.
     *
     * @return the links
     */
    default List<? extends Link> links() {
        return List.of();
    }

    /**
     * The span's events, in the order they were added.
     *
     * @return the events
     */
    default List<? extends Event> events() {
        return List.of();
    }

    /** A link from this span to another span, as {@link Span#addLink} recorded it. */
    interface Link {

        /**
         * The linked trace.
         *
         * @return 32 lower-case hex characters
         */
        String traceId();

        /**
         * The linked span.
         *
         * @return 16 lower-case hex characters
         */
        String spanId();

        /**
         * What the link means.
         *
         * @return the link's attributes
         */
        Map<String, String> attributes();

        /**
         * The W3C {@code tracestate} of the linked context.
         *
         * @return the tracestate, null when unknown
         */
        String traceState();

        /**
         * The W3C trace flags of the linked context with bit 31 set (as the Agent expects), or 0 when
         * unknown: {@code 0x80000001} for a sampled context, {@code 0x80000000} for one that is not.
         *
         * @return the flags
         */
        long flags();
    }

    /** An event during this span, as {@link Span#addEvent} recorded it. */
    interface Event {

        /**
         * What happened.
         *
         * @return the event's name
         */
        String name();

        /**
         * When it happened.
         *
         * @return nanoseconds since the epoch
         */
        long epochNanos();

        /**
         * Details of the event.
         *
         * @return values that are String, Boolean, Long, Double, or a List of one of those
         */
        Map<String, Object> attributes();
    }

    /**
     * A string tag, or the text of a numeric one.
     *
     * @param key the tag name
     * @return the value, or null when absent
     */
    default String tag(String key) {
        String value = meta().get(key);
        if (value != null) {
            return value;
        }
        Number number = metrics().get(key);
        return number == null ? null : number.toString();
    }
}
