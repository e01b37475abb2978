package dev.traced;

import dev.traced.internal.jaxrs.FilterRegistration;
import dev.traced.internal.log.RateLimitedLog;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;

/**
 * Traces a Jakarta REST application or client where the runtime does not find the library's filters
 * by itself: registered on an application (server), it adds the server span of every request; on a
 * client, the client span of every call and the propagation headers.
 *
 * <pre>{@code
 * client.register(TracingFeature.class);                 // the application's tracer
 * client.register(new TracingFeature(tracer));           // an injected tracer, or one from TracerBuilder
 * resourceConfig.register(TracingFeature.class);         // a server application
 * }</pre>
 *
 * <p>RESTEasy (WildFly, Quarkus) and Jersey register the filters without this; registering it there
 * too does no harm: a filter already registered is not added again, and a request or a call gets
 * one span. Without a tracer argument the filters find the application's tracer as the automatically
 * registered ones do (the CDI container's; see {@code docs/jaxrs.md}).
 */
public final class TracingFeature implements Feature {

    private static final RateLimitedLog LOG = RateLimitedLog.of(TracingFeature.class);

    private final Tracer tracer;

    /** Records into the application's tracer (the one {@code @Inject Tracer} gives). */
    public TracingFeature() {
        this.tracer = null;
    }

    /**
     * Records into this tracer: the injected one (a CDI client proxy is fine) or one built with
     * {@link TracerBuilder}. A tracer that is not the library's is logged once and not used.
     *
     * @param tracer the tracer the filters record into
     */
    public TracingFeature(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public boolean configure(FeatureContext context) {
        try {
            return FilterRegistration.configure(context, tracer);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("feature", e, "could not register the tracing filters; this application or client is not traced");
            return false;
        }
    }
}
