package dev.traced;

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
     * @return tag names and values, in the order they are sent
     */
    Map<String, String> meta();

    /**
     * Numeric tags, including the ones the tracer adds.
     *
     * @return tag names and values
     */
    Map<String, Number> metrics();

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
