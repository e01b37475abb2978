package dev.traced.internal.jersey;

import dev.traced.internal.jaxrs.FilterRegistration;
import dev.traced.internal.log.RateLimitedLog;
import jakarta.ws.rs.core.FeatureContext;
import org.glassfish.jersey.internal.spi.AutoDiscoverable;

/**
 * Jersey's way in without user code: Jersey reads
 * {@code META-INF/services/org.glassfish.jersey.internal.spi.AutoDiscoverable} for every client it
 * builds and every application it starts (its client reads neither {@code @Provider} classes nor
 * {@code META-INF/services/jakarta.ws.rs.ext.Providers}). Adds the client filter to a client and the
 * server filter to an application, unless a {@code @Provider} scan registered it already.
 *
 * <p>Only Jersey's service loader loads this class; it is excluded from CDI discovery in
 * {@code beans.xml}, so a runtime without Jersey never sees its Jersey types.
 */
public final class JerseyAutoDiscoverable implements AutoDiscoverable {

    private static final RateLimitedLog LOG = RateLimitedLog.of(JerseyAutoDiscoverable.class);

    @Override
    public void configure(FeatureContext context) {
        try {
            FilterRegistration.configure(context, null);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("jersey", e, "could not register the tracing filters with Jersey; register TracingFeature");
        }
    }
}
