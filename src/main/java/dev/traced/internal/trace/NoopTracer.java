package dev.traced.internal.trace;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanBuilder;
import dev.traced.SpanCallable;
import dev.traced.SpanContext;
import dev.traced.SpanRunnable;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The tracer when {@code dd.trace.enabled=false}: every call is a cheap no-op, bodies still run,
 * and every span, the current one included, is the no-op span (never null, so code written for tracing
 * on, such as {@code tracer.currentRootSpan().setTag(...)}, runs unchanged).
 */
public final class NoopTracer implements CloseableTracer {

    public static final NoopTracer INSTANCE = new NoopTracer();

    private NoopTracer() {
    }

    @Override
    public Span trace(String operationName) {
        return NoopSpan.INSTANCE;
    }

    @Override
    public Span trace(String operationName, String resource) {
        return NoopSpan.INSTANCE;
    }

    @Override
    public SpanBuilder spanBuilder(String operationName) {
        return NoopSpan.BUILDER;
    }

    @Override
    public <T, E extends Throwable> T call(String operationName, SpanCallable<T, E> body) throws E {
        return body.call(NoopSpan.INSTANCE);
    }

    @Override
    public <E extends Throwable> void run(String operationName, SpanRunnable<E> body) throws E {
        body.run(NoopSpan.INSTANCE);
    }

    @Override
    public Span currentSpan() {
        return NoopSpan.INSTANCE;
    }

    @Override
    public Span currentRootSpan() {
        return NoopSpan.INSTANCE;
    }

    @Override
    public void setTags(Map<String, ?> tags) {
    }

    @Override
    public void inject(SpanContext context, BiConsumer<String, String> headers) {
    }

    @Override
    public SpanContext extract(Function<String, String> headers) {
        return null;
    }

    @Override
    public boolean flush(Duration timeout) {
        return true;
    }

    @Override
    public Runnable wrap(Runnable task) {
        return task;
    }

    @Override
    public <T> Callable<T> wrap(Callable<T> task) {
        return task;
    }

    @Override
    public Executor wrap(Executor executor) {
        return executor;
    }

    @Override
    public void close() {
    }
}
