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
 * <p>JAX-RS is optional: a plain CDI application without it must start. So {@code @Path} is matched by
 * name, on the class or any of its methods, not as {@code withAnnotations = Path.class}, which a
 * container that reads this method reflectively would resolve and fail with
 * {@code TypeNotPresentException} when the class is missing. ArC runs this at build time over its
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
        if (!hasPath(info)) {
            return;
        }
        // @Path on an interface is a client interface (MicroProfile Rest Client): nothing to intercept.
        if (info.isInterface() || info.isAnnotation() || info.isEnum() || info.isRecord()
                || Modifier.isFinal(info.modifiers()) || hasFinalBusinessMethod(info)) {
            return;
        }
        type.addAnnotation(TracedResource.class);
    }

    /**
     * {@code @Path} on the class or on one of its methods (what {@code withAnnotations} would match).
     * Methods are listed only for classes without a class-level {@code @Path} (sub-resources), and a
     * class whose methods the container cannot list (ArC, for a class whose supertypes are not indexed)
     * counts as no resource: that must not stop the application from starting.
     */
    private static boolean hasPath(ClassInfo info) {
        if (info.hasAnnotation(PATH)) {
            return true;
        }
        try {
            for (MethodInfo method : info.methods()) {
                if (method.hasAnnotation(PATH)) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            return false;
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
