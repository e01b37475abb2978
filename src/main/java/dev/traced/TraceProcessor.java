package dev.traced;

import java.util.List;

/**
 * Sees each finished trace before it is sent, and may change its spans or drop it: dd-trace-java's
 * {@code TraceInterceptor}, ddtrace's {@code TraceFilter}.
 *
 * <p>A CDI bean implementing this interface is found by the tracer; elsewhere, list the class in
 * {@code META-INF/services/dev.traced.TraceProcessor} or pass it to
 * {@link TracerBuilder#processor(TraceProcessor)}. Processors run in that order (ServiceLoader
 * entries, then builder or CDI ones) on the thread that finished the trace, so keep them quick.
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class DropHealthChecks implements TraceProcessor {
 *     public List<? extends MutableSpan> process(List<MutableSpan> trace) {
 *         for (MutableSpan span : trace) {
 *             if (span.isLocalRoot() && "GET /health".equals(span.resource())) {
 *                 return List.of();
 *             }
 *             span.setTag("team", "checkout");
 *         }
 *         return trace;
 *     }
 * }
 * }</pre>
 *
 * <p>A very long trace reaches processors in parts ({@code dd.trace.partial.flush.min.spans}). If a
 * processor throws, the failure is logged (at most once a minute) and the trace goes on as it was
 * before that processor.
 */
@FunctionalInterface
public interface TraceProcessor {

    /**
     * Returns the spans to send: {@code trace} itself (changed or not), some of its spans, or an empty
     * list (or null) to drop the whole trace. Spans that were not in {@code trace} are ignored.
     *
     * @param trace the finished spans of one trace (or of one part of a large trace)
     * @return the spans to send
     */
    List<? extends MutableSpan> process(List<MutableSpan> trace);
}
