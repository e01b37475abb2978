package dev.traced;

import java.util.Map;

/**
 * Configures a span before it starts. Obtained from {@link Tracer#spanBuilder(String)}.
 *
 * <p>By default the new span is a child of the active span (or starts a new trace) and becomes the
 * active span; {@link #parent(SpanContext)} and {@link #noParent()} change the parent and
 * {@link #startInactive()} leaves the active span alone.
 */
public interface SpanBuilder {

    /**
     * Sets the span's service.
     *
     * @param service the service name
     * @return this builder
     */
    SpanBuilder service(String service);

    /**
     * Sets the span's resource.
     *
     * @param resource the resource name
     * @return this builder
     */
    SpanBuilder resource(String resource);

    /**
     * Sets the span's type.
     *
     * @param spanType the span type ({@code web}, {@code http}, {@code sql}, ...)
     * @return this builder
     */
    SpanBuilder spanType(String spanType);

    /**
     * Sets a string tag.
     *
     * @param key   the tag name
     * @param value the value
     * @return this builder
     */
    SpanBuilder tag(String key, String value);

    /**
     * Sets a numeric tag.
     *
     * @param key   the tag name
     * @param value the value
     * @return this builder
     */
    SpanBuilder tag(String key, Number value);

    /**
     * Sets a boolean tag.
     *
     * @param key   the tag name
     * @param value the value
     * @return this builder
     */
    SpanBuilder tag(String key, boolean value);

    /**
     * Marks the span measured ({@code _dd.measured=1}).
     *
     * @return this builder
     */
    SpanBuilder measured();

    /**
     * Makes the span a child of this context (for example one returned by {@link Tracer#extract}).
     *
     * @param parent the parent's context; null starts a new trace
     * @return this builder
     */
    SpanBuilder parent(SpanContext parent);

    /**
     * Starts a new trace whatever span is active.
     *
     * @return this builder
     */
    SpanBuilder noParent();

    // ---- span links ------------------------------------------------------------------------------

    /**
     * Links the new span to another span, as {@link Span#addLink(SpanContext, Map)} does once it has
     * started: Python's {@code span.link_span(context, attributes)} right after {@code tracer.trace(...)}.
     *
     * @param context    the linked span's context
     * @param attributes what the link means; may be null
     * @return this builder
     */
    SpanBuilder link(SpanContext context, Map<String, String> attributes);

    /**
     * Starts the span and makes it the active span of this thread.
     *
     * @return the started span
     */
    Span start();

    /**
     * Starts the span without making it active (for spans finished on another thread).
     *
     * @return the started span
     */
    Span startInactive();
}
