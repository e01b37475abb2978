package dev.traced.internal.trace;

import dev.traced.TraceProcessor;
import dev.traced.internal.log.RateLimitedLog;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The trace processors listed in {@code META-INF/services/dev.traced.TraceProcessor}, found through
 * the thread's context class loader (the application's, in a container). An entry that cannot be
 * loaded is logged and skipped.
 */
public final class ServiceLoaderProcessors {

    private static final RateLimitedLog LOG = RateLimitedLog.of(ServiceLoaderProcessors.class);

    private ServiceLoaderProcessors() {
    }

    public static List<TraceProcessor> load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = TraceProcessor.class.getClassLoader();
        }
        List<TraceProcessor> found = new ArrayList<>();
        try {
            Iterator<TraceProcessor> it = ServiceLoader.load(TraceProcessor.class, loader).iterator();
            while (it.hasNext()) {
                try {
                    found.add(it.next());
                } catch (ServiceConfigurationError | LinkageError e) {
                    LOG.warn("processor-service", e, "skipping a trace processor that could not be loaded");
                }
            }
        } catch (ServiceConfigurationError | RuntimeException e) {
            LOG.warn("processor-service", e, "could not list the trace processors of META-INF/services");
        }
        return found;
    }
}
