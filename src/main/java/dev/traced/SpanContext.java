package dev.traced;

/**
 * The identity of a span as it crosses process boundaries: what {@link Tracer#inject} writes and
 * {@link Tracer#extract} reads.
 */
public interface SpanContext {

    /**
     * The 128-bit trace id.
     *
     * @return 32 lower-case hex characters
     */
    String traceId();

    /**
     * The 64-bit span id.
     *
     * @return 16 lower-case hex characters
     */
    String spanId();
}
