package dev.traced;

/**
 * A timed operation within a trace: ddtrace's {@code Span}.
 *
 * <p>Use it with try-with-resources ({@code try (Span s = tracer.trace("x")) {...}}), or call
 * {@link #finish()} by hand. Numbers set as tags go to the span's {@code metrics}; strings and
 * booleans to its {@code meta}. Setters after {@link #finish()} are ignored. No method throws.
 */
public interface Span extends AutoCloseable {

    /**
     * Sets a string tag ({@code meta}). A null value removes the tag.
     *
     * @param key the tag name
     * @param value the tag value
     * @return this span
     */
    Span setTag(String key, String value);

    /**
     * Sets a numeric tag ({@code metrics}). A null value removes the tag.
     *
     * @param key the tag name
     * @param value the tag value
     * @return this span
     */
    Span setTag(String key, Number value);

    /**
     * Sets a boolean tag, written as {@code "true"}/{@code "false"} in {@code meta}.
     *
     * @param key the tag name
     * @param value the tag value
     * @return this span
     */
    Span setTag(String key, boolean value);

    /**
     * The manual error flag: Python's {@code span.error = 1}.
     *
     * @param error whether the span is an error
     * @return this span
     */
    Span setError(boolean error);

    /**
     * Marks the span as an error and records {@code error.type} (class name), {@code error.message}
     * and {@code error.stack}: Python's {@code set_exc_info}.
     *
     * @param error the exception to record
     * @return this span
     */
    Span setError(Throwable error);

    /**
     * Sets the resource name (what the operation acted on: a route, a query, a job).
     *
     * @param resource the resource name
     * @return this span
     */
    Span setResource(String resource);

    /**
     * Sets the service name of this span.
     *
     * @param service the service name
     * @return this span
     */
    Span setService(String service);

    /**
     * Sets the operation name.
     *
     * @param name the operation name
     * @return this span
     */
    Span setOperationName(String name);

    /**
     * Sets the span type ({@code web}, {@code http}, {@code sql}, ...).
     *
     * @param type the span type
     * @return this span
     */
    Span setSpanType(String type);

    /**
     * Keeps the whole trace (sampling priority USER_KEEP): the {@code manual.keep} tag.
     *
     * @return this span
     */
    default Span keepTrace() {
        return setTag("manual.keep", true);
    }

    /**
     * Drops the whole trace (sampling priority USER_DROP): the {@code manual.drop} tag.
     *
     * @return this span
     */
    default Span dropTrace() {
        return setTag("manual.drop", true);
    }

    /**
     * The trace and span ids of this span.
     *
     * @return this span's context, to pass to {@link Tracer#inject} or {@link SpanBuilder#parent}
     */
    SpanContext context();

    /**
     * Ends the span. Idempotent. If this span is the active one, the span that was active before it
     * becomes active again.
     */
    void finish();

    /** Same as {@link #finish()}; declared without a checked exception for try-with-resources. */
    @Override
    void close();
}
