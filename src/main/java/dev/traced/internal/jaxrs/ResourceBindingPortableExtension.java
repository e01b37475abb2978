package dev.traced.internal.jaxrs;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.enterprise.util.AnnotationLiteral;

import java.lang.annotation.Annotation;
import java.lang.annotation.Retention;
import java.lang.reflect.Modifier;
import java.util.Set;

/**
 * Adds {@link TracedResource} to every JAX-RS resource class that is a CDI bean, in full CDI
 * containers (Weld SE, WildFly, other Weld-based servers): a portable extension, found through
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}. Its presence makes those
 * containers skip {@link ResourceBindingExtension}, which does the same for CDI Lite (Quarkus ArC).
 *
 * <p>{@code @Path} is matched by name (on the class or any of its methods), because an observer
 * parameter such as {@code @WithAnnotations(Path.class)} is resolved when the container boots and would
 * stop an application without Jakarta REST from starting. The observer asks instead for types carrying
 * an annotation meta-annotated {@code @Retention}, which every annotation visible at run time is
 * ({@code @WithAnnotations} matches meta-annotations): all annotated types, said explicitly, so that
 * Weld does not log WELD-000411 about an observer of every type. Without Jakarta REST no annotation
 * has that name and every type passes through untouched.
 */
public class ResourceBindingPortableExtension implements Extension {

    void bindResourceClasses(@Observes @WithAnnotations(Retention.class) ProcessAnnotatedType<?> event) {
        AnnotatedType<?> type = event.getAnnotatedType();
        Class<?> javaClass = type.getJavaClass();
        // @Path on an interface is a client interface (MicroProfile Rest Client): nothing to intercept.
        if (javaClass.isInterface() || javaClass.isEnum() || javaClass.isRecord()
                || Modifier.isFinal(javaClass.getModifiers()) || !isResource(type) || hasFinalBusinessMethod(type)) {
            return;
        }
        event.configureAnnotatedType().add(TracedResourceLiteral.INSTANCE);
    }

    private static boolean isResource(AnnotatedType<?> type) {
        if (hasPath(type.getAnnotations())) {
            return true;
        }
        for (AnnotatedMethod<?> method : type.getMethods()) {
            if (hasPath(method.getAnnotations())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPath(Set<Annotation> annotations) {
        for (Annotation annotation : annotations) {
            if (ResourceClasses.PATH.equals(annotation.annotationType().getName())) {
                return true;
            }
        }
        return false;
    }

    /** An interceptor binding on a class with a final business method is a definition error. */
    private static boolean hasFinalBusinessMethod(AnnotatedType<?> type) {
        for (AnnotatedMethod<?> method : type.getMethods()) {
            int modifiers = method.getJavaMember().getModifiers();
            if (method.getJavaMember().getDeclaringClass() != Object.class && Modifier.isFinal(modifiers) && !Modifier.isStatic(modifiers) && !Modifier.isPrivate(modifiers)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("all")
    private static final class TracedResourceLiteral extends AnnotationLiteral<TracedResource>
            implements TracedResource {
        static final TracedResourceLiteral INSTANCE = new TracedResourceLiteral();
    }
}
