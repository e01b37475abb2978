package dev.traced.internal.cdi;

import dev.traced.DoNotTrace;
import dev.traced.Traced;
import dev.traced.internal.log.RateLimitedLog;
import jakarta.enterprise.inject.Stereotype;
import jakarta.interceptor.InvocationContext;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Resolves, once per bean class and method, the effective {@link Traced} (method, then class and its
 * superclasses, then stereotypes, then the bindings the container reports) into a span template.
 */
public final class TracedMethods {

    static final RateLimitedLog LOG = RateLimitedLog.of(TracedMethods.class);

    /** How a traced method's span is named. A null template in the cache means "not traced". */
    record Template(String operationName, String service, String resource, String spanType, boolean measured) {
    }

    private static final Template NOT_TRACED = new Template(null, null, null, null, false);

    /**
     * Templates by the target's runtime class (the container's subclass or proxy), then by method:
     * a lookup per call allocates nothing. A ClassValue keeps the entries with the application's
     * classes, so an undeployed application's classes are not held.
     */
    private final ClassValue<ConcurrentHashMap<Method, Template>> templates = new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<Method, Template> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /** The span template of this invocation, or null when the method opts out. */
    Template template(InvocationContext context) {
        Method method = context.getMethod();
        Object target = context.getTarget();
        Class<?> targetClass = target == null ? method.getDeclaringClass() : target.getClass();
        ConcurrentHashMap<Method, Template> byMethod = templates.get(targetClass);
        Template template = byMethod.get(method);
        if (template == null) {
            template = resolve(target == null ? targetClass : beanClass(targetClass), method, context);
            byMethod.putIfAbsent(method, template);
        }
        return template == NOT_TRACED ? null : template;
    }

    private static Template resolve(Class<?> beanClass, Method method, InvocationContext context) {
        if (method.isAnnotationPresent(DoNotTrace.class)) {
            return NOT_TRACED;
        }
        Traced traced = method.getAnnotation(Traced.class);
        if (traced == null) {
            traced = findOnClass(beanClass);
        }
        if (traced == null) {
            traced = fromBindings(context);
        }
        String defaultName = beanClass.getSimpleName() + "." + method.getName();
        if (traced == null) {
            return new Template(defaultName, null, null, null, false);
        }
        String name = traced.value().isEmpty() ? defaultName : traced.value();
        return new Template(name, emptyToNull(traced.service()), emptyToNull(traced.resource()),
                emptyToNull(traced.spanType()), traced.measured());
    }

    private static Traced findOnClass(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Traced traced = c.getAnnotation(Traced.class);
            if (traced != null) {
                return traced;
            }
            for (Annotation annotation : c.getAnnotations()) {
                Traced fromStereotype = fromStereotype(annotation.annotationType(), 0);
                if (fromStereotype != null) {
                    return fromStereotype;
                }
            }
        }
        return null;
    }

    /** Stereotypes may carry {@code @Traced} directly or through other stereotypes. */
    private static Traced fromStereotype(Class<? extends Annotation> type, int depth) {
        if (depth > 4 || !type.isAnnotationPresent(Stereotype.class)) {
            return null;
        }
        Traced traced = type.getAnnotation(Traced.class);
        if (traced != null) {
            return traced;
        }
        for (Annotation meta : type.getAnnotations()) {
            Traced nested = fromStereotype(meta.annotationType(), depth + 1);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }

    /** Interceptors 2.2 reports the bindings itself; older containers do not have the method. */
    private static Traced fromBindings(InvocationContext context) {
        try {
            Set<Traced> bindings = context.getInterceptorBindings(Traced.class);
            return bindings.isEmpty() ? null : bindings.iterator().next();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The application's class behind a container subclass or proxy (Weld, ArC). */
    static Class<?> beanClass(Class<?> type) {
        Class<?> c = type;
        while (c.getSuperclass() != null && c.getSuperclass() != Object.class
                && (c.isSynthetic() || c.getName().contains("$$") || c.getName().contains("$Proxy$")
                || c.getName().endsWith("_Subclass") || c.getName().endsWith("_ClientProxy"))) {
            c = c.getSuperclass();
        }
        return c;
    }

    static boolean returnsStage(Method method) {
        return CompletionStage.class.isAssignableFrom(method.getReturnType());
    }

    /** The cause a stage failed with, without the wrapper the stage machinery adds. */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
