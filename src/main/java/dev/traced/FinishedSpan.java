package dev.traced;

import java.util.List;
import java.util.Map;

/**
 * A span after it finished, as writers and tests see it: plain values that no longer change.
 */
public interface FinishedSpan {

    /** 32 lower-case hex characters. */
    String traceId();

    /** 16 lower-case hex characters. */
    String spanId();

    /** 16 lower-case hex characters, all zeros for a root span. */
    String parentId();

    String service();

    String operationName();

    String resource();

    /** The span type, null when unset. */
    String spanType();

    long startEpochNanos();

    long durationNanos();

    boolean isError();

    /** String tags, including global tags and the ones the tracer adds. */
    Map<String, String> meta();

    /** Numeric tags, including the ones the tracer adds. */
    Map<String, Number> metrics();

    // ---- span links and span events ------------------------------------------------------------

    /** The span's links, in the order they were added; those made by the tracer come first. */
    default List<? extends Link> links() {
        return List.of();
    }

    /** The span's events, in the order they were added. */
    default List<? extends Event> events() {
        return List.of();
    }

    /** A link from this span to another span, as {@link Span#addLink} recorded it. */
    interface Link {

        /** The linked trace: 32 lower-case hex characters. */
        String traceId();

        /** The linked span: 16 lower-case hex characters. */
        String spanId();

        Map<String, String> attributes();

        /** The W3C {@code tracestate} of the linked context, null when unknown. */
        String traceState();

        /**
         * The W3C trace flags of the linked context with bit 31 set (as the Agent expects), or 0 when
         * unknown: {@code 0x80000001} for a sampled context, {@code 0x80000000} for one that is not.
         */
        long flags();
    }

    /** An event during this span, as {@link Span#addEvent} recorded it. */
    interface Event {

        String name();

        long epochNanos();

        /** Values are String, Boolean, Long, Double, or a List of one of those. */
        Map<String, Object> attributes();
    }

    /** A string tag, or the text of a numeric one; null when absent. */
    default String tag(String key) {
        String value = meta().get(key);
        if (value != null) {
            return value;
        }
        Number number = metrics().get(key);
        return number == null ? null : number.toString();
    }
}
