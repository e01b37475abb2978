package dev.traced.internal.jaxrs;

import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.lang.model.declarations.ClassInfo;
import jakarta.enterprise.lang.model.declarations.MethodInfo;
import jakarta.ws.rs.Path;

import java.lang.reflect.Modifier;

/**
 * Adds {@link TracedResource} to every JAX-RS resource class that is a CDI bean, so that
 * {@link ResourceInvocationInterceptor} sees its method calls. A build compatible extension (CDI 4
 * Lite): Weld (SE, WildFly) and Quarkus ArC both run it, found through
 * {@code META-INF/services/jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension}.
 *
 * <p>A class CDI could not intercept (final, or with a final business method) is left alone: an
 * interceptor binding on it would be a definition error and stop the application from starting.
 * Its requests still get server spans from the filters.
 */
public class ResourceBindingExtension implements BuildCompatibleExtension {

    @Enhancement(types = Object.class, withSubtypes = true, withAnnotations = Path.class)
    public void bindResourceClasses(ClassConfig type) {
        ClassInfo info = type.info();
        // @Path on an interface is a client interface (MicroProfile Rest Client): nothing to intercept.
        if (info.isInterface() || info.isAnnotation() || info.isEnum() || info.isRecord()
                || Modifier.isFinal(info.modifiers()) || hasFinalBusinessMethod(info)) {
            return;
        }
        type.addAnnotation(TracedResource.class);
    }

    private static boolean hasFinalBusinessMethod(ClassInfo info) {
        for (MethodInfo method : info.methods()) {
            int modifiers = method.modifiers();
            if (Modifier.isFinal(modifiers) && !Modifier.isStatic(modifiers) && !Modifier.isPrivate(modifiers)
                    && !method.isConstructor()) {
                return true;
            }
        }
        return false;
    }
}
