package dev.traced;

import java.time.Instant;
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

    /**
     * Sets a string tag ({@code meta}). A null value removes the tag.
     *
     * @param key   the tag name
     * @param value the value; null removes the tag
     * @return this span
     */
    Span setTag(String key, String value);

    /**
     * Sets a numeric tag ({@code metrics}). A null value removes the tag.
     *
     * @param key   the tag name
     * @param value the value; null removes the tag
     * @return this span
     */
    Span setTag(String key, Number value);

    /**
     * Sets a boolean tag, written as {@code "true"}/{@code "false"} in {@code meta}.
     *
     * @param key   the tag name
     * @param value the value
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

    // ---- span links and span events ------------------------------------------------------------

    /**
     * Links this span to another span, of this trace or another one (a batch job to the requests it
     * serves, a message consumer to its producers): Python's {@code span.link_span(context, attributes)}.
     * Sent in the span's {@code span_links}. A second link to the same span replaces the first, as in
     * Python. Ignored after {@link #finish()}, for a null or all-zero
     * context, and beyond 128 links per span; attributes beyond 128 per link, or null keys or values,
     * are left out; values longer than 25,000 characters are cut.
     *
     * @param context    the linked span: {@link #context()} of a span, or a context from {@link Tracer#extract}
     * @param attributes what the link means (for example {@code "reason" -> "batch"}); may be null
     *
     * @return this span
     */
    Span addLink(SpanContext context, Map<String, String> attributes);

    /**
     * Records a point in time during the span, with attributes: Python's
     * {@code span._add_event(name, attributes)}. The time is now, on the span's own clock.
     *
     * <p>Attribute values may be a {@code String}, {@code Boolean}, {@code Integer}, {@code Long},
     * {@code Short} or {@code Byte} (an int), {@code Float} or {@code Double} (a double), or an array or
     * {@code Collection} of one of those kinds. Any other {@code Number}, a {@code CharSequence} or a
     * {@code Character} is recorded as its text, an {@code Enum} as its name. Other values (null, other
     * objects, mixed or nested arrays) are left out with a debug log. Ignored after {@link #finish()} and
     * beyond 128 events per span; at most 128 attributes per event and 128 elements per array; strings
     * are cut at 25,000 characters.
     *
     * @param name       what happened; an event without a name is ignored
     * @param attributes details of the event; may be null
     *
     * @return this span
     */
    Span addEvent(String name, Map<String, ?> attributes);

    /**
     * {@link #addEvent(String, Map)} at a given time (Python's {@code timestamp}, which is in epoch
     * nanoseconds: here an {@link Instant}, so the unit cannot be mistaken). A null time means now.
     *
     * @param name       what happened; an event without a name is ignored
     * @param attributes details of the event; may be null
     * @param timestamp  when it happened; null means now
     * @return this span
     */
    Span addEvent(String name, Map<String, ?> attributes, Instant timestamp);

    /**
     * The trace and span ids of this span; all zeros for a span that is not recording.
     *
     * @return this span's context, to pass to {@link Tracer#inject} or {@link SpanBuilder#parent}
     */
    SpanContext context();

    // ---- W3C baggage --------------------------------------------------------------------------

    /**
     * Sets a W3C baggage item on this span's trace: ddtrace's {@code span.context.set_baggage_item}.
     * Baggage belongs to the trace in this process (every span of it sees the item, as ddtrace's
     * context shares it) and goes out in the {@code baggage} header of every later outgoing call
     * (style {@code baggage}, on by default), so the services called next can read it. A null value
     * removes the item. At most {@code dd.trace.baggage.max.items} (64) keys are kept; headers carry at
     * most {@code dd.trace.baggage.max.bytes} (8,192). Ignored after {@link #finish()}.
     *
     * @param key   the item's name
     * @param value the item's value; null removes the item
     * @return this span
     */
    Span setBaggageItem(String key, String value);

    /**
     * Removes a baggage item: ddtrace's {@code remove_baggage_item}.
     *
     * @param key the item's name
     * @return this span
     */
    default Span removeBaggageItem(String key) {
        return setBaggageItem(key, null);
    }

    /**
     * Removes every baggage item of this span's trace: ddtrace's {@code remove_all_baggage_items}.
     *
     * @return this span
     */
    default Span removeAllBaggageItems() {
        for (String key : List.copyOf(baggage().keySet())) {
            setBaggageItem(key, null);
        }
        return this;
    }

    /**
     * One baggage item of this span's trace: ddtrace's {@code get_baggage_item}.
     *
     * @param key the item's name
     * @return its value, or null when absent
     */
    default String getBaggageItem(String key) {
        return context().getBaggageItem(key);
    }

    /**
     * The baggage of this span's trace: ddtrace's {@code get_all_baggage_items}.
     *
     * @return the items, unmodifiable; empty when none
     */
    default Map<String, String> baggage() {
        return context().baggage();
    }

    /**
     * Whether what is set on this span is recorded: false for the no-op span that
     * {@link Tracer#currentSpan()} returns outside any span and that every method returns while tracing
     * is off ({@code dd.trace.enabled=false}), and for a span that has finished. Code that computes an
     * expensive tag can skip it when this is false; code that only sets tags need not ask.
     *
     * @return true while what is set on this span is kept
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
