package dev.traced.internal.jaxrs;

import dev.traced.Tracer;
import dev.traced.internal.cdi.TracerHolder;
import dev.traced.internal.trace.ApplicationTracer;
import dev.traced.internal.trace.CoreTracer;
import jakarta.enterprise.inject.spi.CDI;

import java.util.concurrent.TimeUnit;

/**
 * How a JAX-RS provider finds the tracer. RESTEasy creates the providers listed in
 * {@code META-INF/services} itself, so they are not CDI beans and cannot {@code @Inject} it.
 *
 * <p>In order: the tracer given to the provider's constructor (manual {@code register(new ...)}),
 * then the tracer the CDI {@code TracerHolder} registered in {@link ApplicationTracer} for this
 * application (one map look-up per request), then, when the holder has not built it yet, a
 * {@code CDI.current()} lookup that builds and registers it, then the only registered tracer, if
 * there is just one. Without a CDI container that lookup fails; it is retried at most once a second,
 * so a request never pays for it twice in a row. No tracer means the provider does nothing.
 */
final class TracerLookup {

    private static final long CDI_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Tracer explicit;
    private volatile JaxRsSettings settings;
    private volatile long nextCdiAttempt = System.nanoTime();

    TracerLookup(Tracer explicit) {
        this.explicit = explicit;
    }

    /** The settings of the current tracer, or null when tracing is off or no tracer is found. */
    JaxRsSettings settings() {
        Tracer tracer = explicit != null ? explicit : ApplicationTracer.get();
        if (tracer == null) {
            tracer = fromCdi();
        }
        if (tracer == null) {
            tracer = ApplicationTracer.sole();
        }
        if (!(tracer instanceof CoreTracer core)) {
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
