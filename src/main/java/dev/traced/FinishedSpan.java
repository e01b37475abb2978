package dev.traced;

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
