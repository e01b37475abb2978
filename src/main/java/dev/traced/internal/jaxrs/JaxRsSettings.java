package dev.traced.internal.jaxrs;

import dev.traced.internal.config.Config;
import dev.traced.internal.trace.CoreTracer;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JAX-RS filters' configuration for one tracer, read once: exclusions, error statuses, query
 * obfuscation, and the routes of the resource methods seen so far.
 */
final class JaxRsSettings {

    private final CoreTracer tracer;
    private final ResourceExclusion exclusion;
    private final HttpStatuses serverErrors;
    private final HttpStatuses clientErrors;
    private final QueryObfuscator queryObfuscator;
    /**
     * One entry per resource method of the application, so bounded by its code. Keyed by the method,
     * or by class and method when a resource class inherits it (two classes may share one method).
     */
    private final ConcurrentHashMap<Object, ResourceRoute> routes = new ConcurrentHashMap<>();

    private JaxRsSettings(CoreTracer tracer, ResourceExclusion exclusion, HttpStatuses serverErrors,
                          HttpStatuses clientErrors, QueryObfuscator queryObfuscator) {
        this.tracer = tracer;
        this.exclusion = exclusion;
        this.serverErrors = serverErrors;
        this.clientErrors = clientErrors;
        this.queryObfuscator = queryObfuscator;
    }

    static JaxRsSettings of(CoreTracer tracer) {
        Config config = tracer.config();
        return new JaxRsSettings(tracer,
                ResourceExclusion.fromConfig(config),
                HttpStatuses.fromConfig(config, "dd.trace.http.server.error.statuses", "500-599"),
                HttpStatuses.fromConfig(config, "dd.trace.http.client.error.statuses", "400-499"),
                QueryObfuscator.fromConfig(config));
    }

    CoreTracer tracer() {
        return tracer;
    }

    ResourceExclusion exclusion() {
        return exclusion;
    }

    HttpStatuses serverErrors() {
        return serverErrors;
    }

    HttpStatuses clientErrors() {
        return clientErrors;
    }

    QueryObfuscator queryObfuscator() {
        return queryObfuscator;
    }

    ResourceRoute route(Class<?> resourceClass, Method method) {
        Object key = resourceClass == method.getDeclaringClass() ? method : List.of(resourceClass, method);
        ResourceRoute route = routes.get(key);
        if (route == null) {
            route = ResourceRoute.of(resourceClass, method, exclusion);
            routes.putIfAbsent(key, route);
        }
        return route;
    }
}
