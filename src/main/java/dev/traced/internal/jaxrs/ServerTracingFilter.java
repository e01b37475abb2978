package dev.traced.internal.jaxrs;

import dev.traced.SpanContext;
import dev.traced.Tracer;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;
import jakarta.annotation.Priority;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.function.Function;

/**
 * The server span of a Jakarta REST request: {@code jax-rs.request}, type {@code web}, resource
 * {@code "<METHOD> <route template>"}, continuing the caller's trace from its headers.
 *
 * <p>The request filter (post-matching, so the resource method is known) checks the exclusions,
 * extracts the context and starts the span; the response filter records the status; the span ends
 * once the entity is written (this class is also the {@link WriterInterceptor}), or in the response
 * filter when there is no entity. An exception thrown by the resource method is recorded by
 * {@link ResourceInvocationInterceptor} before exception mappers run, when the resource is a CDI bean.
 *
 * <p>Registered without user code: {@code @Provider} (scanning runtimes, Quarkus),
 * {@code META-INF/services/jakarta.ws.rs.ext.Providers} (RESTEasy, WildFly) and Jersey's
 * auto-discovery. Elsewhere: {@code register(TracingFeature.class)}. Registered twice, the second
 * instance does nothing. It never changes a request or a response, and nothing it does throws into
 * the application.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
@Priority(ServerTracingFilter.PRIORITY)
public final class ServerTracingFilter implements ContainerRequestFilter, ContainerResponseFilter, WriterInterceptor {

    /** Before every other filter on the way in (authentication is 1000), after them on the way out. */
    static final int PRIORITY = Priorities.AUTHENTICATION - 900;
    static final String OPERATION = "jax-rs.request";
    /** Request property holding the {@link ServerRequest}, or {@link #EXCLUDED}. */
    static final String PROPERTY = "dev.traced.jaxrs.server";
    private static final Object EXCLUDED = new Object();
    private static final RateLimitedLog LOG = RateLimitedLog.of(ServerTracingFilter.class);

    @Context
    private ResourceInfo resourceInfo;

    private final TracerLookup lookup;

    /** Used by the runtime: finds the application's tracer (see {@link TracerLookup}). */
    public ServerTracingFilter() {
        this(null);
    }

    /** With the tracer to record into, maybe an injected one (a CDI client proxy): see {@code TracingFeature}. */
    public ServerTracingFilter(Tracer tracer) {
        this.lookup = new TracerLookup(tracer);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        try {
            if (request.getProperty(PROPERTY) == null) {
                start(request);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("server-start", e, "could not start a server span; the request is not traced");
        }
    }

    private void start(ContainerRequestContext request) {
        JaxRsSettings settings = lookup.settings();
        if (settings == null) {
            return;
        }
        Class<?> resourceClass = resourceInfo.getResourceClass();
        Method method = resourceInfo.getResourceMethod();
        if (resourceClass == null || method == null) {
            return;
        }
        ResourceRoute route = settings.route(resourceClass, method);
        String httpMethod = request.getMethod();
        String resource = route.resourceFor(httpMethod);
        UriInfo uriInfo = request.getUriInfo();
        if (excluded(settings, route, httpMethod, resource, uriInfo)) {
            // No span, no extraction: the request leaves no trace and continues none.
            request.setProperty(PROPERTY, EXCLUDED);
            return;
        }
        CoreTracer tracer = settings.tracer();
        Function<String, String> headers = RequestHeaders.of(request);
        SpanContext parent = tracer.extract(headers);
        boolean activate = !route.async();
        CoreSpan span = tracer.startSpan(OPERATION, null, resource, "web", parent, parent == null, activate);
        span.setTag("_dd.measured", 1);
        span.setTag("span.kind", "server");
        span.setTag("component", "jax-rs");
        span.setTag("http.method", httpMethod);
        span.setTag("http.route", route.route());
        URI uri = uriInfo.getRequestUri();
        span.setTag("http.url", urlWithoutQuery(uri));
        String query = settings.queryObfuscator().obfuscate(uri.getRawQuery());
        if (query != null) {
            span.setTag("http.query.string", query);
        }
        String userAgent = headers.apply("User-Agent");
        if (userAgent != null) {
            span.setTag("http.useragent", userAgent);
        }
        if (!settings.headerTags().isEmpty()) {
            settings.headerTags().tagRequest(span, headers);
        }
        if (settings.clientIp().isEnabled()) {
            // JAX-RS exposes no peer address; the forwarding headers are what is there.
            settings.clientIp().tag(span, headers, null);
        }
        ServerRequest state = new ServerRequest(settings, span, route);
        state.enter(activate);
        request.setProperty(PROPERTY, state);
    }

    /** {@code @DoNotTrace}, then the resource (matched once per route), then the path. */
    private static boolean excluded(JaxRsSettings settings, ResourceRoute route, String httpMethod, String resource,
                                    UriInfo uriInfo) {
        if (route.doNotTrace()) {
            return true;
        }
        ResourceExclusion exclusion = settings.exclusion();
        if (exclusion.isEmpty()) {
            return false;
        }
        boolean resourceMatches = httpMethod.equals(route.httpMethod()) ? route.ignored()
                : exclusion.matchesResource(resource);
        if (resourceMatches) {
            return true;
        }
        String path = uriInfo.getPath();
        return exclusion.matchesPath(path.startsWith("/") ? path : "/" + path);
    }

    static String urlWithoutQuery(URI uri) {
        if (uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null
                && uri.isAbsolute()) {
            return uri.toString(); // the string the URI was parsed from: nothing to build
        }
        String scheme = uri.getScheme();
        String authority = uri.getRawAuthority();
        String path = uri.getRawPath();
        if (scheme == null || authority == null) {
            return path == null ? "/" : path;
        }
        StringBuilder url = new StringBuilder(scheme.length() + authority.length() + 4
                + (path == null ? 1 : path.length()));
        url.append(scheme).append("://").append(authority).append(path == null || path.isEmpty() ? "/" : path);
        return url.toString();
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        try {
            if (!(request.getProperty(PROPERTY) instanceof ServerRequest state) || !state.claimResponse()) {
                return;
            }
            JaxRsSettings settings = state.settings;
            int status = response.getStatus();
            CoreSpan span = state.span;
            span.setTag("http.status_code", HttpStatuses.text(status));
            // As Datadog's server decorators do: the status decides the error flag; error.* tags
            // recorded from an exception stay, so a 404 mapped from an exception is not an error.
            span.setError(settings.serverErrors().contains(status));
            if (!settings.headerTags().isEmpty()) {
                settings.headerTags().tagResponse(span, response::getHeaderString);
            }
            state.responseStarted();
            state.endClientCallsWithoutResponse();
            if (response.hasEntity() && !"HEAD".equals(request.getMethod())) {
                state.finishOnWrite = true;
            } else {
                state.finish();
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("server-finish", e, "could not record the response on the server span");
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        Object property = context.getProperty(PROPERTY);
        if (!(property instanceof ServerRequest state) || !state.finishOnWrite) {
            context.proceed();
            return;
        }
        // Claimed before writing: a second registration of this interceptor only writes.
        state.finishOnWrite = false;
        try {
            context.proceed();
        } finally {
            state.finish();
        }
    }
}
