package dev.traced;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Starts spans and gives access to the active one: ddtrace's {@code tracer}.
 *
 * <p>In a CDI application, {@code @Inject Tracer tracer}. Elsewhere, {@link TracerBuilder} builds one.
 * No method throws into the application; exceptions of the bodies given to {@link #call} and
 * {@link #run} pass through unchanged.
 */
public interface Tracer {

    /**
     * Starts a span as a child of the active span (or a new trace) and makes it active:
     * {@code tracer.trace(name)}.
     *
     * @param operationName the span's operation name
     * @return the started span; finish it, or open it in a try-with-resources statement
     */
    Span trace(String operationName);

    /**
     * As {@link #trace(String)}, with a resource name.
     *
     * @param operationName the span's operation name
     * @param resource      what the operation acts on (a route, a query, a job)
     * @return the started span
     */
    Span trace(String operationName, String resource);

    /**
     * A builder for a span with more settings.
     *
     * @param operationName the span's operation name
     * @return a builder; {@link SpanBuilder#start()} starts the span
     */
    SpanBuilder spanBuilder(String operationName);

    /**
     * Runs the body in a new active span and returns its result. An exception marks the span as an
     * error and is rethrown unchanged.
     *
     * @param <T>           the result type
     * @param <E>           the exception the body may throw
     * @param operationName the span's operation name
     * @param body          the work, given the span
     * @return what the body returned
     * @throws E what the body threw, after it was recorded on the span
     */
    <T, E extends Throwable> T call(String operationName, SpanCallable<T, E> body) throws E;

    /**
     * Runs the body in a new active span. An exception marks the span and is rethrown unchanged.
     *
     * @param <E>           the exception the body may throw
     * @param operationName the span's operation name
     * @param body          the work, given the span
     * @throws E what the body threw, after it was recorded on the span
     */
    <E extends Throwable> void run(String operationName, SpanRunnable<E> body) throws E;

    /**
     * The active span of this thread: {@code tracer.current_span()}. Never null: outside any span, and
     * everywhere while tracing is off ({@code dd.trace.enabled=false}), it is a no-op span that records
     * nothing, so {@code tracer.currentSpan().setTag(...)} is always safe. Unlike ddtrace's
     * {@code current_span()}, which returns {@code None}, this follows OpenTelemetry's
     * {@code Span.current()}; {@link Span#isRecording()} tells the no-op span apart.
     *
     * @return the active span, or a no-op span
     */
    Span currentSpan();

    /**
     * The local root span of the active trace (the server span of a request, the outermost
     * {@code @Traced} method): {@code tracer.current_root_span()}. Never null: a no-op span where
     * {@link #currentSpan()} is one.
     *
     * @return the first span of the active trace in this process, or a no-op span
     */
    Span currentRootSpan();

    /**
     * Global tags, set on every span started afterwards: {@code tracer.set_tags({...})}.
     *
     * @param tags tag names and values; numbers become {@code metrics}, anything else {@code meta}
     */
    void setTags(Map<String, ?> tags);

    /**
     * Writes the context as headers in every configured propagation style
     * ({@code dd.trace.propagation.style.inject}). For an outgoing call, pass the context of the client
     * span of that call: its span id becomes the callee's parent. A context from {@link #extract} can
     * be passed on as it is (a proxy). Header names are lower-case; values are printable ASCII.
     *
     * @param context the context to send
     * @param headers receives each header name and value
     */
    void inject(SpanContext context, BiConsumer<String, String> headers);

    /**
     * Reads a context from headers in the configured propagation styles
     * ({@code dd.trace.propagation.style.extract}); null when the headers carry no valid one.
     *
     * @param headers returns the value of a header given its lower-case name, or null when absent. A
     *                header that arrived on several lines must be returned as its values joined with
     *                {@code ","}, as JAX-RS {@code getHeaderString} does (two {@code traceparent} lines
     *                then make the W3C context invalid, as the W3C specification requires).
     *
     * @return the caller's context, or null when the headers carry no valid one
     */
    SpanContext extract(Function<String, String> headers);

    /**
     * Hands every finished trace to the Agent now and waits at most {@code timeout}; true when all of
     * them were delivered.
     *
     * @param timeout how long to wait at most
     * @return true when every finished trace was delivered within the timeout
     */
    boolean flush(Duration timeout);

    /**
     * Wraps a task so that it runs with the span that is active now as its active span, even if that
     * span has finished by then (spans the task starts join its trace); the running thread's own
     * active spans are set aside meanwhile.
     *
     * @param task the task to run later, maybe on another thread
     * @return the task, carrying the active span
     */
    Runnable wrap(Runnable task);

    /**
     * Wraps a task so that it runs with the span that is active now as its active span.
     *
     * @param <T>  the task's result type
     * @param task the task to run later, maybe on another thread
     * @return the task, carrying the active span
     */
    <T> Callable<T> wrap(Callable<T> task);

    /**
     * An executor whose tasks run with the span that was active when they were submitted.
     *
     * @param executor the executor that runs the tasks
     * @return an executor that wraps each task it is given
     */
    Executor wrap(Executor executor);
}
