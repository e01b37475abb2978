package dev.traced.internal.jaxrs;

import dev.traced.Tracer;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.ApplicationTracer;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.trace.UnderlyingTracer;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.FeatureContext;

/**
 * What {@code TracingFeature} and Jersey's auto-discovery do: add the server filter to an application,
 * the client filter to a client, unless the runtime registered it already.
 *
 * <p>Where it is registered already (RESTEasy's {@code META-INF/services}, a {@code @Provider} scan,
 * Jersey's auto-discovery) nothing is added, so a call or a request still gets one span. That filter
 * finds the application's tracer itself; a tracer given here is made the application's tracer when
 * the application has none yet (an application without CDI that built its own).
 */
public final class FilterRegistration {

    private static final RateLimitedLog LOG = RateLimitedLog.of(FilterRegistration.class);

    private FilterRegistration() {
    }

    /**
     * Registers the filter for the runtime this context configures.
     *
     * @param tracer the tracer to record into (an injected one is fine), or null for the application's
     * @return whether a filter is (now) registered
     */
    public static boolean configure(FeatureContext context, Tracer tracer) {
        Configuration configuration = context.getConfiguration();
        RuntimeType runtime = configuration.getRuntimeType();
        Class<?> filter = runtime == RuntimeType.SERVER ? ServerTracingFilter.class : ClientTracingFilter.class;
        if (!configuration.isRegistered(filter)) {
            if (tracer == null) {
                context.register(filter);
            } else {
                context.register(runtime == RuntimeType.SERVER
                        ? new ServerTracingFilter(tracer) : new ClientTracingFilter(tracer));
            }
        } else if (tracer != null) {
            offerAsApplicationTracer(tracer);
        }
        return true;
    }

    private static void offerAsApplicationTracer(Tracer tracer) {
        CoreTracer core;
        try {
            core = UnderlyingTracer.of(tracer);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("feature-tracer", e, "the tracer given to TracingFeature cannot be reached; the filters "
                    + "the runtime registered use the application's tracer");
            return;
        }
        if (core != null) {
            ApplicationTracer.registerIfAbsent(core);
        }
    }
}
