package dev.traced.internal.jaxrs;

import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.inject.build.compatible.spi.SkipIfPortableExtensionPresent;
import jakarta.enterprise.lang.model.AnnotationInfo;
import jakarta.enterprise.lang.model.declarations.ClassInfo;
import jakarta.enterprise.lang.model.declarations.MethodInfo;

import java.lang.reflect.Modifier;
import java.util.function.Predicate;

/**
 * Adds {@link TracedResource} to every JAX-RS resource class that is a CDI bean, so that
 * {@link ResourceInvocationInterceptor} sees its method calls. The build compatible extension (CDI 4
 * Lite) run by Quarkus ArC, found through
 * {@code META-INF/services/jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension};
 * full CDI containers (Weld SE, WildFly and every Weld-based server) skip it and run
 * {@link ResourceBindingPortableExtension} instead, which does the same without rewriting every
 * annotated type.
 *
 * <p>{@code @Path} is matched by name, on the class or any of its methods: naming the class in
 * {@code @Enhancement(withAnnotations = ...)} would fail the boot of an application without Jakarta
 * REST on a container that reads that annotation reflectively. ArC runs this at build time over its
 * Jandex index, so visiting every class costs the build a little and the application nothing.
 *
 * <p>A class CDI could not intercept (final, or with a final business method) is left alone: an
 * interceptor binding on it would be a definition error and stop the application from starting.
 * Its requests still get server spans from the filters.
 */
@SkipIfPortableExtensionPresent(ResourceBindingPortableExtension.class)
public class ResourceBindingExtension implements BuildCompatibleExtension {

    private static final Predicate<AnnotationInfo> PATH = annotation ->
            ResourceClasses.PATH.equals(annotation.name());

    @Enhancement(types = Object.class, withSubtypes = true)
    public void bindResourceClasses(ClassConfig type) {
        ClassInfo info = type.info();
        // @Path on an interface is a client interface (MicroProfile Rest Client): nothing to intercept.
        if (info.isInterface() || info.isAnnotation() || info.isEnum() || info.isRecord()
                || Modifier.isFinal(info.modifiers()) || !isResource(info) || hasFinalBusinessMethod(info)) {
            return;
        }
        type.addAnnotation(TracedResource.class);
    }

    private static boolean isResource(ClassInfo info) {
        if (info.hasAnnotation(PATH)) {
            return true;
        }
        for (MethodInfo method : info.methods()) {
            if (method.hasAnnotation(PATH)) {
                return true;
            }
        }
        return false;
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
