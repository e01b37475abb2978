package dev.traced.internal.jaxrs;

import dev.traced.Tracer;
import dev.traced.internal.cdi.TracerHolder;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.ApplicationTracer;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.trace.UnderlyingTracer;
import jakarta.enterprise.inject.spi.CDI;

import java.util.concurrent.TimeUnit;

/**
 * How a JAX-RS provider finds the tracer. RESTEasy creates the providers listed in
 * {@code META-INF/services} itself, so they are not CDI beans and cannot {@code @Inject} it.
 *
 * <p>In order: the tracer given to the provider's constructor ({@code TracingFeature}; an injected
 * tracer is a CDI client proxy, looked through once with {@link UnderlyingTracer}), then the tracer
 * the CDI {@code TracerHolder} registered in {@link ApplicationTracer} for this application (one map
 * look-up per request), then, when the holder has not built it yet, a {@code CDI.current()} lookup
 * that builds and registers it, then the only registered tracer, if there is just one. Without a
 * CDI container that lookup fails; it is retried at most once a second, so a request never pays for
 * it twice in a row. No tracer means the provider does nothing.
 */
final class TracerLookup {

    private static final long CDI_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final RateLimitedLog LOG = RateLimitedLog.of(TracerLookup.class);

    private final Tracer explicit;
    /** The library's tracer behind {@link #explicit}, once found (null: not yet, or not usable). */
    private volatile CoreTracer explicitCore;
    /** Set when {@link #explicit} turned out to be disabled or not the library's: never asked again. */
    private volatile boolean explicitUnusable;
    private volatile JaxRsSettings settings;
    private volatile long nextCdiAttempt = System.nanoTime();

    TracerLookup(Tracer explicit) {
        this.explicit = explicit;
    }

    /** The settings of the current tracer, or null when tracing is off or no tracer is found. */
    JaxRsSettings settings() {
        CoreTracer core = explicit != null ? explicitCore() : found();
        if (core == null) {
            return null;
        }
        JaxRsSettings current = settings;
        if (current == null || current.tracer() != core) {
            // A new application (a redeployment, the next test's container): read its configuration.
            current = JaxRsSettings.of(core);
            settings = current;
        }
        return current;
    }

    private CoreTracer found() {
        Tracer tracer = ApplicationTracer.get();
        if (tracer == null) {
            tracer = fromCdi();
        }
        if (tracer == null) {
            tracer = ApplicationTracer.sole();
        }
        return tracer instanceof CoreTracer core ? core : null;
    }

    private CoreTracer explicitCore() {
        CoreTracer core = explicitCore;
        if (core != null || explicitUnusable) {
            return core;
        }
        long now = System.nanoTime();
        if (now - nextCdiAttempt < 0) {
            return null;
        }
        try {
            core = UnderlyingTracer.of(explicit);
        } catch (RuntimeException | LinkageError e) {
            // A client proxy whose container is not running: tried again in a second.
            nextCdiAttempt = now + CDI_RETRY_NANOS;
            LOG.warn("explicit-unavailable", e, "the tracer given to the JAX-RS filters cannot be reached now; "
                    + "requests are not traced until it can");
            return null;
        }
        if (core == null) {
            explicitUnusable = true;
            explainUnusable(explicit);
            return null;
        }
        explicitCore = core;
        return core;
    }

    private static void explainUnusable(Tracer tracer) {
        try {
            if (UnderlyingTracer.kind(tracer) == UnderlyingTracer.Kind.DISABLED) {
                LOG.debug("explicit-disabled", "the tracer given to the JAX-RS filters is disabled "
                        + "(dd.trace.enabled=false): requests are not traced");
                return;
            }
        } catch (RuntimeException | LinkageError e) {
            // Fall through to the warning.
        }
        LOG.warn("explicit-foreign", "the tracer given to the JAX-RS filters (%s) is not one of this library's "
                + "tracers (an injected dev.traced.Tracer or one from TracerBuilder): requests are not traced",
                tracer.getClass().getName());
    }

    private Tracer fromCdi() {
        long now = System.nanoTime();
        if (now - nextCdiAttempt < 0) {
            return null;
        }
        nextCdiAttempt = now + CDI_RETRY_NANOS;
        try {
            return CdiHolder.lookup();
        } catch (RuntimeException | LinkageError e) {
            // No CDI API on the class path, no running container, or no TracerHolder bean.
            return null;
        }
    }

    /** Kept apart so that a runtime without the CDI API only fails here, inside the catch above. */
    private static final class CdiHolder {
        static Tracer lookup() {
            var holder = CDI.current().select(TracerHolder.class);
            return holder.isResolvable() ? holder.get().tracer() : null;
        }
    }
}
