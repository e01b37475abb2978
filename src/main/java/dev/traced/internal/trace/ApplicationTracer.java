package dev.traced.internal.trace;

import dev.traced.Tracer;

/**
 * The tracer of the running application, for the parts a runtime creates outside CDI: JAX-RS
 * providers that RESTEasy instantiates from {@code META-INF/services} cannot {@code @Inject} it.
 * The CDI {@code TracerHolder} registers its tracer here when it builds it and removes it when the
 * container shuts down.
 *
 * <p>One application per class loader: this is a static slot. A library copy inside each deployment
 * (the usual {@code WEB-INF/lib} case) has its own slot.
 */
public final class ApplicationTracer {

    private static volatile Tracer current;

    private ApplicationTracer() {
    }

    /** The registered tracer (possibly a no-op one when tracing is disabled), or null when none is. */
    public static Tracer get() {
        return current;
    }

    /** Makes this tracer the application's tracer. */
    public static void register(Tracer tracer) {
        current = tracer;
    }

    /** Removes the tracer if it is still the registered one (a newer registration is kept). */
    public static synchronized void unregister(Tracer tracer) {
        if (current == tracer) {
            current = null;
        }
    }
}
