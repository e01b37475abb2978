package dev.traced.internal.jaxrs;

import dev.traced.Tracer;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;
import jakarta.annotation.Priority;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import java.net.URI;

/**
 * The client span of an outgoing JAX-RS client call: {@code http.request}, type {@code http},
 * resource {@code "<METHOD> <path>"} (digit segments as {@code ?}, as Datadog normalises them), a child
 * of the active span; its context goes out in the request headers in every configured propagation
 * style, so the called service continues the trace with this span as parent.
 *
 * <p>Registered without user code for RESTEasy (every {@code ClientBuilder} client, through
 * {@code META-INF/services/jakarta.ws.rs.ext.Providers}), for Jersey (its auto-discovery) and as a
 * {@code @Provider} for MicroProfile Rest Client and Quarkus. Elsewhere:
 * {@code client.register(TracingFeature.class)}. Registered twice, the second instance does nothing:
 * the first one's request property marks the call.
 *
 * <p>JAX-RS calls no client filter when the call fails without a response (connection refused,
 * timeout). A call made while a traced server request is handled on the same thread is then ended,
 * as an error, when that request's response starts, so its trace is still written; a failed call made
 * from any other thread leaves its span open and its trace unwritten.
 */
@Provider
@ConstrainedTo(RuntimeType.CLIENT)
@Priority(Priorities.HEADER_DECORATOR)
public final class ClientTracingFilter implements ClientRequestFilter, ClientResponseFilter {

    static final String OPERATION = "http.request";
    static final String PROPERTY = "dev.traced.jaxrs.client";
    private static final RateLimitedLog LOG = RateLimitedLog.of(ClientTracingFilter.class);

    private final TracerLookup lookup;

    /** Used by the runtime: finds the application's tracer (see {@link TracerLookup}). */
    public ClientTracingFilter() {
        this(null);
    }

    /** With the tracer to record into, maybe an injected one (a CDI client proxy): see {@code TracingFeature}. */
    public ClientTracingFilter(Tracer tracer) {
        this.lookup = new TracerLookup(tracer);
    }

    @Override
    public void filter(ClientRequestContext request) {
        try {
            if (request.getProperty(PROPERTY) == null) {
                start(request);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("client-start", e, "could not start a client span; the call is not traced");
        }
    }

    private void start(ClientRequestContext request) {
        JaxRsSettings settings = lookup.settings();
        if (settings == null) {
            return;
        }
        CoreTracer tracer = settings.tracer();
        URI uri = request.getUri();
        String method = request.getMethod();
        // Inactive: the response may arrive on another thread (async invokers), and nothing runs
        // inside a client call that should be its child.
        CoreSpan span = tracer.startSpan(OPERATION, null, resource(method, uri.getRawPath()), "http",
                null, false, false);
        span.setTag("_dd.measured", 1);
        span.setTag("span.kind", "client");
        span.setTag("component", "jax-rs-client");
        span.setTag("http.method", method);
        span.setTag("http.url", ServerTracingFilter.urlWithoutQuery(uri));
        if (uri.getHost() != null) {
            span.setTag("peer.hostname", uri.getHost());
        }
        if (!settings.headerTags().isEmpty()) {
            settings.headerTags().tagRequest(span, request::getHeaderString);
        }
        MultivaluedMap<String, Object> headers = request.getHeaders();
        // putSingle: headers the application set itself are replaced, never duplicated.
        tracer.inject(span, headers::putSingle);
        ServerRequest caller = ServerRequest.onThisThread();
        if (caller != null) {
            caller.clientCallStarted(span);
        }
        request.setProperty(PROPERTY, new ClientCall(span, caller, settings));
    }

    /**
     * A call in flight: its span, the server request it was made from (null when none), and the
     * settings it was started with, so that whichever registration sees the response ends it alike.
     */
    private record ClientCall(CoreSpan span, ServerRequest caller, JaxRsSettings settings) {
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        try {
            if (!(request.getProperty(PROPERTY) instanceof ClientCall call)) {
                return;
            }
            request.removeProperty(PROPERTY);
            CoreSpan span = call.span();
            if (call.caller() != null) {
                call.caller().clientCallEnded(span);
            }
            int status = response.getStatus();
            span.setTag("http.status_code", HttpStatuses.text(status));
            JaxRsSettings settings = call.settings();
            if (settings.clientErrors().contains(status)) {
                span.setError(true);
            }
            if (!settings.headerTags().isEmpty()) {
                settings.headerTags().tagResponse(span, response::getHeaderString);
            }
            span.finish();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("client-finish", e, "could not record the response on the client span");
        }
    }

    /**
     * The span's resource, {@code "<METHOD> <path>"}, the path through Datadog's simple normaliser: a
     * segment with a digit in it becomes {@code ?} (ids), except version segments such as {@code v2};
     * an empty path is {@code /}. Built in one piece: a path with ids would otherwise be copied twice.
     */
    static String resource(String method, String path) {
        if (path == null || path.isEmpty()) {
            return method + " /";
        }
        StringBuilder out = null;
        int segmentStart = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (hasDigit(path, segmentStart, i) && !isVersion(path, segmentStart, i)) {
                    if (out == null) {
                        out = new StringBuilder(method.length() + 1 + path.length())
                                .append(method).append(' ').append(path, 0, segmentStart);
                    }
                    out.append('?');
                } else if (out != null) {
                    out.append(path, segmentStart, i);
                }
                if (out != null && i < path.length()) {
                    out.append('/');
                }
                segmentStart = i + 1;
            }
        }
        return out == null ? method + " " + path : out.toString();
    }

    private static boolean hasDigit(String path, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static boolean isVersion(String path, int from, int to) {
        if (to - from < 2 || (path.charAt(from) != 'v' && path.charAt(from) != 'V')) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = path.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }
}
