package dev.traced;

import java.util.List;
import java.util.Map;

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

    /** The trace and span ids of this span. */
    SpanContext context();

    // ---- W3C baggage --------------------------------------------------------------------------

    /**
     * Sets a W3C baggage item on this span's trace: ddtrace's {@code span.context.set_baggage_item}.
     * Baggage belongs to the trace in this process (every span of it sees the item, as ddtrace's
     * context shares it) and goes out in the {@code baggage} header of every later outgoing call
     * (style {@code baggage}, on by default), so the services called next can read it. A null value
     * removes the item. At most {@code dd.trace.baggage.max.items} (64) keys are kept; headers carry at
     * most {@code dd.trace.baggage.max.bytes} (8,192). Ignored after {@link #finish()}.
     */
    Span setBaggageItem(String key, String value);

    /** Removes a baggage item: ddtrace's {@code remove_baggage_item}. */
    default Span removeBaggageItem(String key) {
        return setBaggageItem(key, null);
    }

    /** Removes every baggage item of this span's trace: ddtrace's {@code remove_all_baggage_items}. */
    default Span removeAllBaggageItems() {
        for (String key : List.copyOf(baggage().keySet())) {
            setBaggageItem(key, null);
        }
        return this;
    }

    /** One baggage item of this span's trace, or null: ddtrace's {@code get_baggage_item}. */
    default String getBaggageItem(String key) {
        return context().getBaggageItem(key);
    }

    /** The baggage of this span's trace; unmodifiable: ddtrace's {@code get_all_baggage_items}. */
    default Map<String, String> baggage() {
        return context().baggage();
    }

    /**
     * Ends the span. Idempotent. If this span is the active one, the span that was active before it
     * becomes active again.
     */
    void finish();

    /** Same as {@link #finish()}; declared without a checked exception for try-with-resources. */
    @Override
    void close();
}
