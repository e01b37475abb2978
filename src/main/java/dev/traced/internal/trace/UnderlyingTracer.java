package dev.traced.internal.trace;

import dev.traced.SpanBuilder;
import dev.traced.Tracer;

/**
 * Finds the library's tracer behind a {@link Tracer} a user hands over: the injected one is a CDI
 * client proxy (or a decorator), not the tracer itself. Only the public interface is used: the proxy
 * forwards {@link Tracer#spanBuilder} to the tracer, and the builder it returns knows its tracer.
 * Nothing is started; the builder is dropped.
 */
public final class UnderlyingTracer {

    /** The operation name of the builder made to look through a proxy; it never becomes a span. */
    private static final String PROBE = "dev.traced.probe";

    private UnderlyingTracer() {
    }

    /** What {@link #of} found behind a tracer. */
    public enum Kind {
        /** The library's tracer: {@link #of} returns it. */
        CORE,
        /** The library's no-op tracer ({@code dd.trace.enabled=false}): nothing to record. */
        DISABLED,
        /** Something else (a test double, another library's type): it cannot be recorded into. */
        FOREIGN
    }

    /** The library's tracer behind this one, or null when it is disabled or not the library's. */
    public static CoreTracer of(Tracer tracer) {
        if (tracer instanceof CoreTracer core) {
            return core;
        }
        if (tracer == null || tracer instanceof NoopTracer) {
            return null;
        }
        return tracer.spanBuilder(PROBE) instanceof CoreSpanBuilder builder ? builder.tracer() : null;
    }

    /** Why {@link #of} returned what it did, for a log line. */
    public static Kind kind(Tracer tracer) {
        if (of(tracer) != null) {
            return Kind.CORE;
        }
        if (tracer instanceof NoopTracer) {
            return Kind.DISABLED;
        }
        SpanBuilder builder = tracer == null ? null : tracer.spanBuilder(PROBE);
        return builder != null && builder.getClass().getName().startsWith("dev.traced.internal.")
                ? Kind.DISABLED : Kind.FOREIGN;
    }
}
