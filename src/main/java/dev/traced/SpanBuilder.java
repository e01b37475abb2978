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

    SpanBuilder service(String service);

    SpanBuilder resource(String resource);

    SpanBuilder spanType(String spanType);

    SpanBuilder tag(String key, String value);

    SpanBuilder tag(String key, Number value);

    SpanBuilder tag(String key, boolean value);

    /** Marks the span measured ({@code _dd.measured=1}). */
    SpanBuilder measured();

    /** Makes the span a child of this context (for example one returned by {@link Tracer#extract}). */
    SpanBuilder parent(SpanContext parent);

    /** Starts a new trace whatever span is active. */
    SpanBuilder noParent();

    // ---- span links ------------------------------------------------------------------------------

    /**
     * Links the new span to another span, as {@link Span#addLink(SpanContext, Map)} does once it has
     * started: Python's {@code span.link_span(context, attributes)} right after {@code tracer.trace(...)}.
     */
    SpanBuilder link(SpanContext context, Map<String, String> attributes);

    /** Starts the span and makes it the active span of this thread. */
    Span start();

    /** Starts the span without making it active (for spans finished on another thread). */
    Span startInactive();
}
