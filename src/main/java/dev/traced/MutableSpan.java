package dev.traced;

/**
 * A finished span as a {@link TraceProcessor} sees it: its values can still be changed, because the
 * trace has not been sent yet. dd-trace-java's {@code MutableSpan}.
 *
 * <p>Setters never throw. {@code setTag} with a null value removes the tag; tags set here win over
 * the tags the tracer adds (such as {@code env} or {@code version}).
 */
public interface MutableSpan extends FinishedSpan {

    /**
     * Sets a string tag ({@code meta}).
     *
     * @param key   the tag name
     * @param value the value; null removes the tag
     * @return this span
     */
    MutableSpan setTag(String key, String value);

    /**
     * Sets a numeric tag ({@code metrics}).
     *
     * @param key   the tag name
     * @param value the value; null removes the tag
     * @return this span
     */
    MutableSpan setTag(String key, Number value);

    /**
     * Sets a boolean tag, written as {@code "true"}/{@code "false"} in {@code meta}.
     *
     * @param key   the tag name
     * @param value the value
     * @return this span
     */
    MutableSpan setTag(String key, boolean value);

    /**
     * Sets the service name.
     *
     * @param service the service name
     * @return this span
     */
    MutableSpan setService(String service);

    /**
     * Sets the operation name.
     *
     * @param operationName the operation name
     * @return this span
     */
    MutableSpan setOperationName(String operationName);

    /**
     * Sets the resource name.
     *
     * @param resource the resource name
     * @return this span
     */
    MutableSpan setResource(String resource);

    /**
     * Sets the span type.
     *
     * @param spanType the span type
     * @return this span
     */
    MutableSpan setSpanType(String spanType);

    /**
     * Sets or clears the error flag.
     *
     * @param error whether the span is an error
     * @return this span
     */
    MutableSpan setError(boolean error);

    /**
     * Whether this is the first span of the trace in this process (the one a remote parent or nothing
     * started).
     *
     * @return true for the local root span
     */
    boolean isLocalRoot();
}
