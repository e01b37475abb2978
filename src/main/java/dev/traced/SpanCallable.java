package dev.traced;

/**
 * A body run inside a span by {@link Tracer#call}, returning a value.
 *
 * @param <T> the result type
 * @param <E> the exception the body may throw; it passes through unchanged
 */
@FunctionalInterface
public interface SpanCallable<T, E extends Throwable> {
    /**
     * The work.
     *
     * @param span the span the work runs in
     * @return the result
     * @throws E an exception of the work
     */
    T call(Span span) throws E;
}
