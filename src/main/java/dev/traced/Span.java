package dev.traced;

/**
 * A timed operation within a trace: ddtrace's {@code Span}.
 *
 * <p>Use it with try-with-resources ({@code try (Span s = tracer.trace("x")) {...}}), or call
 * {@link #finish()} by hand. Numbers set as tags go to the span's {@code metrics}; strings and
 * booleans to its {@code meta}. Setters after {@link #finish()} are ignored. No method throws.
 */
public interface Span extends AutoCloseable {

    /** Sets a string tag ({@code meta}). A null value removes the tag. */
    Span setTag(String key, String value);

    /** Sets a numeric tag ({@code metrics}). A null value removes the tag. */
    Span setTag(String key, Number value);

    /** Sets a boolean tag, written as {@code "true"}/{@code "false"} in {@code meta}. */
    Span setTag(String key, boolean value);

    /** The manual error flag: Python's {@code span.error = 1}. */
    Span setError(boolean error);

    /**
     * Marks the span as an error and records {@code error.type} (class name), {@code error.message}
     * and {@code error.stack}: Python's {@code set_exc_info}.
     */
    Span setError(Throwable error);

    /** Sets the resource name (what the operation acted on: a route, a query, a job). */
    Span setResource(String resource);

    /** Sets the service name of this span. */
    Span setService(String service);

    /** Sets the operation name. */
    Span setOperationName(String name);

    /** Sets the span type ({@code web}, {@code http}, {@code sql}, ...). */
    Span setSpanType(String type);

    /** Keeps the whole trace (sampling priority USER_KEEP): the {@code manual.keep} tag. */
    default Span keepTrace() {
        return setTag("manual.keep", true);
    }

    /** Drops the whole trace (sampling priority USER_DROP): the {@code manual.drop} tag. */
    default Span dropTrace() {
        return setTag("manual.drop", true);
    }

    /** The trace and span ids of this span; all zeros for a span that is not recording. */
    SpanContext context();

    /**
     * Whether what is set on this span is recorded: false for the no-op span that
     * {@link Tracer#currentSpan()} returns outside any span and that every method returns while tracing
     * is off ({@code dd.trace.enabled=false}), and for a span that has finished. Code that computes an
     * expensive tag can skip it when this is false; code that only sets tags need not ask.
     */
    boolean isRecording();

    /**
     * Ends the span. Idempotent. If this span is the active one, the span that was active before it
     * becomes active again.
     */
    void finish();

    /** Same as {@link #finish()}; declared without a checked exception for try-with-resources. */
    @Override
    void close();
}
