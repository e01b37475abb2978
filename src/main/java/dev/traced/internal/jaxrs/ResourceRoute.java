package dev.traced.internal.jaxrs;

import dev.traced.DoNotTrace;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.Suspended;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;

/**
 * What the server filter needs to know about one resource method, worked out once from its
 * annotations: the route template ({@code /sandwiches/{id}}), the span resource
 * ({@code GET /sandwiches/{id}}), whether the method answers asynchronously, and whether it is
 * excluded from tracing.
 *
 * @param route        class {@code @Path} + method {@code @Path}, e.g. {@code /sandwiches/{id}}
 * @param httpMethod   the method's designator ({@code GET}, ...), or null for a sub-resource locator
 * @param resource     {@code "<httpMethod> <route>"}, the span resource for requests of that method
 * @param async        the method takes an {@code @Suspended AsyncResponse} or returns a {@code CompletionStage}
 * @param doNotTrace   {@code @DoNotTrace} on the method or its class: excluded whatever the HTTP method
 * @param ignored      {@code dd.trace.resources.ignore} matches {@link #resource}
 * @param methodName   the Java method's name, to recognise its invocation in the interceptor
 */
record ResourceRoute(String route, String httpMethod, String resource, boolean async, boolean doNotTrace,
                     boolean ignored, String methodName) {

    /** The span resource for a request with this HTTP method (HEAD and OPTIONS reach GET methods). */
    String resourceFor(String requestMethod) {
        return requestMethod.equals(httpMethod) ? resource : requestMethod + " " + route;
    }

    static ResourceRoute of(Class<?> resourceClass, Method method, ResourceExclusion exclusion) {
        String route = join(classPath(resourceClass, method), annotation(method, Path.class));
        String httpMethod = httpMethod(method);
        String resource = (httpMethod == null ? "*" : httpMethod) + " " + route;
        return new ResourceRoute(route, httpMethod, resource, isAsync(method),
                annotated(resourceClass, method, DoNotTrace.class), exclusion.matchesResource(resource),
                method.getName());
    }

    private static String classPath(Class<?> resourceClass, Method method) {
        Path path = findOnType(resourceClass, Path.class);
        if (path == null && resourceClass != method.getDeclaringClass()) {
            path = findOnType(method.getDeclaringClass(), Path.class);
        }
        return path == null ? null : path.value();
    }

    private static String annotation(Method method, Class<Path> type) {
        Path path = findOnMethod(method, type);
        return path == null ? null : path.value();
    }

    /** {@code /a} + {@code {id}} = {@code /a/{id}}: one slash between parts, none at the end. */
    static String join(String classPath, String methodPath) {
        StringBuilder route = new StringBuilder();
        for (String part : new String[] {classPath, methodPath}) {
            if (part == null) {
                continue;
            }
            String trimmed = part.strip();
            int start = 0;
            int end = trimmed.length();
            while (start < end && trimmed.charAt(start) == '/') {
                start++;
            }
            while (end > start && trimmed.charAt(end - 1) == '/') {
                end--;
            }
            if (start < end) {
                route.append('/').append(trimmed, start, end);
            }
        }
        return route.length() == 0 ? "/" : route.toString();
    }

    private static String httpMethod(Method method) {
        for (Method candidate = method; candidate != null; candidate = inherited(candidate)) {
            for (Annotation annotation : candidate.getAnnotations()) {
                HttpMethod designator = annotation.annotationType().getAnnotation(HttpMethod.class);
                if (designator != null) {
                    return designator.value();
                }
            }
        }
        return null;
    }

    private static boolean isAsync(Method method) {
        if (CompletionStage.class.isAssignableFrom(method.getReturnType())) {
            return true;
        }
        for (Annotation[] parameter : method.getParameterAnnotations()) {
            for (Annotation annotation : parameter) {
                if (annotation.annotationType() == Suspended.class) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean annotated(Class<?> resourceClass, Method method, Class<? extends Annotation> type) {
        return findOnMethod(method, type) != null || findOnType(resourceClass, type) != null
                || findOnType(method.getDeclaringClass(), type) != null;
    }

    /** JAX-RS annotation inheritance: the method itself, else the same method of a supertype. */
    private static <A extends Annotation> A findOnMethod(Method method, Class<A> type) {
        for (Method candidate = method; candidate != null; candidate = inherited(candidate)) {
            A found = candidate.getAnnotation(type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Method inherited(Method method) {
        Class<?> owner = method.getDeclaringClass();
        for (Class<?> type : owner.getInterfaces()) {
            Method found = declared(type, method);
            if (found != null) {
                return found;
            }
        }
        Class<?> parent = owner.getSuperclass();
        return parent == null || parent == Object.class ? null : declaredOrInherited(parent, method);
    }

    private static Method declaredOrInherited(Class<?> type, Method method) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Method found = declared(c, method);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Method declared(Class<?> type, Method method) {
        try {
            return type.getDeclaredMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** The class, its superclasses (container proxies extend the application's class) and interfaces. */
    private static <A extends Annotation> A findOnType(Class<?> type, Class<A> annotation) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            A found = c.getAnnotation(annotation);
            if (found != null) {
                return found;
            }
            for (Class<?> face : c.getInterfaces()) {
                found = face.getAnnotation(annotation);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
