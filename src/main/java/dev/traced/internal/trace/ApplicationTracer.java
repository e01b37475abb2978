package dev.traced.internal.trace;

import dev.traced.Tracer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tracer of the running application, for the parts a runtime creates outside CDI: JAX-RS
 * providers that RESTEasy instantiates from {@code META-INF/services} cannot {@code @Inject} it.
 * The CDI {@code TracerHolder} registers its tracer here when it builds it and removes it when the
 * container shuts down.
 *
 * <p>Several applications can share this class: the library installed once as a WildFly module
 * serves every deployment. Each tracer is kept under the context class loader of the thread that
 * registered it (the deployment's), and looked up under the current thread's one, which is the
 * deployment's again on its request threads. A deployment whose tracer is not built yet finds
 * nothing here, not another deployment's tracer: the caller then asks CDI, which builds it.
 */
public final class ApplicationTracer {

    private static final Map<ClassLoader, Tracer> BY_LOADER = new ConcurrentHashMap<>();
    private static volatile Tracer sole;

    private ApplicationTracer() {
    }

    /**
     * The tracer registered under the current thread's context class loader (possibly a no-op one
     * when tracing is disabled), or null.
     */
    public static Tracer get() {
        return BY_LOADER.get(contextLoader());
    }

    /**
     * The only registered tracer, or null when there are none or several: for a caller that found
     * nothing with {@link #get} nor through CDI, on a thread with an unexpected context class loader.
     */
    public static Tracer sole() {
        return sole;
    }

    /** Makes this tracer the application's tracer, for the current thread's context class loader. */
    public static synchronized void register(Tracer tracer) {
        BY_LOADER.put(contextLoader(), tracer);
        updateSole();
    }

    /**
     * Makes this tracer the application's tracer unless one is registered already for the current
     * thread's context class loader: a tracer handed to {@code TracingFeature} where the runtime had
     * registered the filters itself. Returns whether it was registered.
     */
    public static synchronized boolean registerIfAbsent(Tracer tracer) {
        if (BY_LOADER.putIfAbsent(contextLoader(), tracer) != null) {
            return false;
        }
        updateSole();
        return true;
    }

    /** Removes the tracer wherever it is registered (a newer registration is kept). */
    public static synchronized void unregister(Tracer tracer) {
        BY_LOADER.values().removeIf(registered -> registered == tracer);
        updateSole();
    }

    private static void updateSole() {
        sole = BY_LOADER.size() == 1 ? BY_LOADER.values().iterator().next() : null;
    }

    private static ClassLoader contextLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : ApplicationTracer.class.getClassLoader();
    }
}
