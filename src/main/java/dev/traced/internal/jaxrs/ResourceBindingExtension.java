package dev.traced.internal.jaxrs;

import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.ws.rs.Path;

/**
 * Adds {@link TracedResource} to every JAX-RS resource class that is a CDI bean, so that
 * {@link ResourceInvocationInterceptor} sees its method calls. A build compatible extension (CDI 4
 * Lite): Weld (SE, WildFly) and Quarkus ArC both run it, found through
 * {@code META-INF/services/jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension}.
 */
public class ResourceBindingExtension implements BuildCompatibleExtension {

    @Enhancement(types = Object.class, withSubtypes = true, withAnnotations = Path.class)
    public void bindResourceClasses(ClassConfig type) {
        // @Path on an interface is a client interface (MicroProfile Rest Client): nothing to intercept.
        if (!type.info().isInterface() && !type.info().isAnnotation()) {
            type.addAnnotation(TracedResource.class);
        }
    }
}
