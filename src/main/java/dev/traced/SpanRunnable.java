package dev.traced;

/**
 * A body run inside a span by {@link Tracer#run}.
 *
 * @param <E> the exception the body may throw; it passes through unchanged
 */
@FunctionalInterface
public interface SpanRunnable<E extends Throwable> {
    /**
     * The work.
     *
     * @param span the span the work runs in
     * @throws E an exception of the work
     */
    void run(Span span) throws E;
}
