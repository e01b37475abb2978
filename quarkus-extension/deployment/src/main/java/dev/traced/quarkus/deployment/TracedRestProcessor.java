package dev.traced.quarkus.deployment;

import dev.traced.internal.jaxrs.ClientTracingFilter;
import dev.traced.internal.jaxrs.ServerTracingFilter;
import dev.traced.quarkus.runtime.RecordExceptionHandler;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.resteasy.common.spi.ResteasyJaxrsProviderBuildItem;
import io.quarkus.resteasy.reactive.server.spi.PreExceptionMapperHandlerBuildItem;

/**
 * Build steps that put the library's JAX-RS filters on whichever REST stack the application has.
 *
 * <p>Quarkus REST (server and REST Client) registers {@code @Provider} classes it finds in the index,
 * and the library jar is indexed ({@link TracedProcessor#indexTracedLibrary}): that registers both
 * filters once. Registering them again through {@code ContainerRequestFilterBuildItem} would run them
 * twice per request, so the Quarkus REST build item here is the one the scan cannot replace: the
 * pre-exception-mapper handler. RESTEasy Classic collects provider names in a set, so the filters
 * are registered explicitly there.
 */
public final class TracedRestProcessor {

    private static final String SERVER_FILTER = ServerTracingFilter.class.getName();
    private static final String CLIENT_FILTER = ClientTracingFilter.class.getName();

    /**
     * Quarkus REST hands a request's exception to this handler before the exception mappers, so the
     * server span records it even when a mapper turns it into an ordinary response, and ends when no
     * mapper does (the response filters are then skipped).
     */
    @BuildStep
    void recordExceptionsBeforeMappersOnQuarkusRest(Capabilities capabilities,
                                                    BuildProducer<PreExceptionMapperHandlerBuildItem> handlers) {
        if (capabilities.isPresent(Capability.REST)) {
            handlers.produce(new PreExceptionMapperHandlerBuildItem(new RecordExceptionHandler()));
        }
    }

    /** The server filter on RESTEasy Classic. */
    @BuildStep
    void registerServerFilterOnResteasyClassic(Capabilities capabilities,
                                               BuildProducer<ResteasyJaxrsProviderBuildItem> providers) {
        if (capabilities.isPresent(Capability.RESTEASY)) {
            providers.produce(new ResteasyJaxrsProviderBuildItem(SERVER_FILTER));
        }
    }

    /** The client filter on RESTEasy Classic's client. */
    @BuildStep
    void registerClientFilterOnResteasyClassic(Capabilities capabilities,
                                               BuildProducer<ResteasyJaxrsProviderBuildItem> providers) {
        if (capabilities.isPresent(Capability.RESTEASY_CLIENT)) {
            providers.produce(new ResteasyJaxrsProviderBuildItem(CLIENT_FILTER));
        }
    }
}
