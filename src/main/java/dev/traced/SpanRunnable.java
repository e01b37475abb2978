package dev.traced;

/**
 * A body run inside a span by {@link Tracer#run}.
 *
 * @param <E> the exception the body may throw; it passes through unchanged
 */
@FunctionalInterface
public interface SpanRunnable<E extends Throwable> {
    void run(Span span) throws E;
}
