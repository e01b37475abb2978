package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.TracerBuilder;
import dev.traced.internal.jaxrs.ServerTracingFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.URI;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JAX-RS server filter's own work per request (request filter, then response filter, a response
 * without entity), in the default configuration, on a request context that holds nothing but its
 * properties, headers and URI: the exclusion check, the extraction of the caller's context, the server
 * span, its tags, and its end. {@code request} is the same request without the filter (the properties
 * cleared, the status read): the difference is the filter's. {@link ServerFilterRun} measures the same
 * filter inside a real RESTEasy server, where the server's own work (about 17 KB and 100 µs of CPU per
 * request on this machine) hides the filter's in its noise; this benchmark gives the filter alone.
 *
 * <ul>
 *   <li>{@code serverFilter}: a request without trace headers (the span starts a trace);</li>
 *   <li>{@code serverFilterTracedCaller}: the headers a Datadog-traced caller sends in the default styles
 *       ({@code x-datadog-*}, {@code traceparent}, {@code tracestate}, {@code baggage}), the same as
 *       {@link PropagationComparisonBenchmark}'s;</li>
 *   <li>{@code otel*}: the same requests through an OpenTelemetry server filter ({@link OtelFilters.Server}:
 *       its {@code Instrumenter} and HTTP extractors, W3C trace context and baggage read).</li>
 * </ul>
 *
 * <p>As RESTEasy does, the request's {@code URI} is made from the received text on the first
 * {@code getRequestUri()} call, so the filter pays for the one it asks for; the headers map is JAX-RS's
 * {@code MultivaluedHashMap}, read through {@code getHeaderString} (which returns the received String,
 * as Jersey and Quarkus REST do). The span is finished into {@code dd.trace.writer=none}: encoding and
 * delivery happen on the writer's thread, not the request's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServerFilterBenchmark {

    /** The resource the requests are matched to: route {@code /orders/{id}}. */
    @Path("/orders")
    public static class Orders {
        @GET
        @Path("{id}")
        public String order(@PathParam("id") String id) {
            return id;
        }
    }

    private final RequestContext plain = new RequestContext("http://127.0.0.1:8080/orders/42", false);
    private final RequestContext traced = new RequestContext("http://127.0.0.1:8080/orders/42", false);
    private final RequestContext uriMade = new RequestContext("http://127.0.0.1:8080/orders/42", true);
    private final ResponseContext response = new ResponseContext();
    private CloseableTracer tracer;
    private ServerTracingFilter filter;
    private OpenTelemetrySdk otel;
    private OtelFilters.Server otelFilter;

    @Setup
    public void setUp() throws ReflectiveOperationException {
        traced.headers.putSingle("x-datadog-trace-id", "7298014646913713143");
        traced.headers.putSingle("x-datadog-parent-id", "5208512171318403364");
        traced.headers.putSingle("x-datadog-sampling-priority", "1");
        traced.headers.putSingle("x-datadog-tags", "_dd.p.dm=-1,_dd.p.tid=9291375655657946");
        traced.headers.putSingle("traceparent", PropagationComparisonBenchmark.TRACEPARENT);
        traced.headers.putSingle("tracestate", PropagationComparisonBenchmark.TRACESTATE);
        traced.headers.putSingle("baggage", PropagationComparisonBenchmark.BAGGAGE);
        for (RequestContext request : List.of(plain, traced, uriMade)) {
            request.headers.putSingle("User-Agent", "curl/8.5.0");
            request.headers.putSingle("Accept", "*/*");
            request.index();
        }
        tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench")
                .config("dd.trace.writer", "none")
                .build();
        filter = new ServerTracingFilter(tracer);
        // The runtime injects @Context ResourceInfo into the field; the benchmark does it once.
        Field resourceInfo = ServerTracingFilter.class.getDeclaredField("resourceInfo");
        resourceInfo.setAccessible(true);
        resourceInfo.set(filter, new Resource(Orders.class, Orders.class.getMethod("order", String.class)));
        otel = OtelFilters.sdk();
        otelFilter = new OtelFilters.Server(otel);
    }

    @TearDown
    public void tearDown() {
        tracer.close();
        otel.close();
    }

    @Benchmark
    public int serverFilter() {
        return handle(plain);
    }

    /** As {@code serverFilter}, the request's URI made already (Jersey's is; RESTEasy's once anything asked for it). */
    @Benchmark
    public int serverFilterUriMade() {
        return handle(uriMade);
    }

    @Benchmark
    public int serverFilterTracedCaller() {
        return handle(traced);
    }

    @Benchmark
    public int otelServerFilter() {
        return handle(plain, otelFilter, otelFilter);
    }

    @Benchmark
    public int otelServerFilterTracedCaller() {
        return handle(traced, otelFilter, otelFilter);
    }

    @Benchmark
    public int request() {
        plain.reset();
        return plain.properties.size() + response.getStatus();
    }

    private int handle(RequestContext request) {
        return handle(request, filter, filter);
    }

    private int handle(RequestContext request, ContainerRequestFilter onRequest, ContainerResponseFilter onResponse) {
        request.reset();
        try {
            onRequest.filter(request);
            onResponse.filter(request, response);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return request.properties.size();
    }

    /** The matched resource method, as the runtime's {@code ResourceInfo} gives it. */
    private record Resource(Class<?> resourceClass, Method resourceMethod) implements ResourceInfo {
        @Override public Method getResourceMethod() { return resourceMethod; }
        @Override public Class<?> getResourceClass() { return resourceClass; }
    }

    /** A GET request: its properties, headers and URI; what the filter does not use is unsupported. */
    static final class RequestContext implements ContainerRequestContext {
        final MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        final Map<String, Object> properties = new HashMap<>();
        /** The headers by case-insensitive name, as runtimes look them up: made once the headers are set. */
        private final Map<String, String> byName = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final Uris uris;
        private final boolean uriMade;

        RequestContext(String uri, boolean uriMade) {
            this.uris = new Uris(uri);
            this.uriMade = uriMade;
        }

        void index() {
            headers.forEach((name, values) -> byName.put(name, String.join(",", values)));
        }

        /** A new request on the same connection: no properties, the URI not made yet (unless {@code uriMade}). */
        void reset() {
            properties.clear();
            if (!uriMade) {
                uris.requestUri = null;
            }
        }

        @Override public Object getProperty(String name) { return properties.get(name); }
        @Override public Collection<String> getPropertyNames() { return properties.keySet(); }
        @Override public void setProperty(String name, Object object) { properties.put(name, object); }
        @Override public void removeProperty(String name) { properties.remove(name); }
        @Override public UriInfo getUriInfo() { return uris; }
        @Override public void setRequestUri(URI requestUri) { throw new UnsupportedOperationException(); }
        @Override public void setRequestUri(URI baseUri, URI requestUri) { throw new UnsupportedOperationException(); }
        @Override public Request getRequest() { throw new UnsupportedOperationException(); }
        @Override public String getMethod() { return "GET"; }
        @Override public void setMethod(String method) { throw new UnsupportedOperationException(); }
        @Override public MultivaluedMap<String, String> getHeaders() { return headers; }
        @Override public String getHeaderString(String name) {
            return byName.get(name); // Jersey's and Quarkus REST's: the received String for a header sent once
        }
        @Override public boolean containsHeaderString(String name, String valueSeparatorRegex,
                                                      java.util.function.Predicate<String> valuePredicate) {
            throw new UnsupportedOperationException();
        }
        @Override public Date getDate() { return null; }
        @Override public Locale getLanguage() { return null; }
        @Override public int getLength() { return -1; }
        @Override public MediaType getMediaType() { return null; }
        @Override public List<MediaType> getAcceptableMediaTypes() { return List.of(); }
        @Override public List<Locale> getAcceptableLanguages() { return List.of(); }
        @Override public Map<String, Cookie> getCookies() { return Map.of(); }
        @Override public boolean hasEntity() { return false; }
        @Override public InputStream getEntityStream() { return InputStream.nullInputStream(); }
        @Override public void setEntityStream(InputStream input) { throw new UnsupportedOperationException(); }
        @Override public SecurityContext getSecurityContext() { return null; }
        @Override public void setSecurityContext(SecurityContext context) { throw new UnsupportedOperationException(); }
        @Override public void abortWith(Response response) { throw new UnsupportedOperationException(); }
    }

    /** The request's URI as RESTEasy's {@code UriInfo} keeps it: the received text, made a URI when asked. */
    static final class Uris implements UriInfo {
        private final String received;
        private URI requestUri;

        Uris(String received) {
            this.received = received;
        }

        @Override public URI getRequestUri() {
            if (requestUri == null) {
                requestUri = URI.create(received);
            }
            return requestUri;
        }
        @Override public String getPath() { return "orders/42"; }
        @Override public String getPath(boolean decode) { return getPath(); }
        @Override public List<PathSegment> getPathSegments() { throw new UnsupportedOperationException(); }
        @Override public List<PathSegment> getPathSegments(boolean decode) { throw new UnsupportedOperationException(); }
        @Override public UriBuilder getRequestUriBuilder() { throw new UnsupportedOperationException(); }
        @Override public URI getAbsolutePath() { throw new UnsupportedOperationException(); }
        @Override public UriBuilder getAbsolutePathBuilder() { throw new UnsupportedOperationException(); }
        @Override public URI getBaseUri() { throw new UnsupportedOperationException(); }
        @Override public UriBuilder getBaseUriBuilder() { throw new UnsupportedOperationException(); }
        @Override public MultivaluedMap<String, String> getPathParameters() { throw new UnsupportedOperationException(); }
        @Override public MultivaluedMap<String, String> getPathParameters(boolean decode) {
            throw new UnsupportedOperationException();
        }
        @Override public MultivaluedMap<String, String> getQueryParameters() { throw new UnsupportedOperationException(); }
        @Override public MultivaluedMap<String, String> getQueryParameters(boolean decode) {
            throw new UnsupportedOperationException();
        }
        @Override public List<String> getMatchedURIs() { throw new UnsupportedOperationException(); }
        @Override public List<String> getMatchedURIs(boolean decode) { throw new UnsupportedOperationException(); }
        @Override public List<Object> getMatchedResources() { throw new UnsupportedOperationException(); }
        @Override public URI resolve(URI uri) { throw new UnsupportedOperationException(); }
        @Override public URI relativize(URI uri) { throw new UnsupportedOperationException(); }
        @Override public String getMatchedResourceTemplate() { return "/orders/{id}"; }
    }

    /** A 200 response without entity or headers. */
    static final class ResponseContext extends EmptyResponse implements ContainerResponseContext {
        @Override public MultivaluedMap<String, Object> getHeaders() { return new MultivaluedHashMap<>(); }
        @Override public MultivaluedMap<String, String> getStringHeaders() { return new MultivaluedHashMap<>(); }
        @Override public Object getEntity() { return null; }
        @Override public Class<?> getEntityClass() { return null; }
        @Override public Type getEntityType() { return null; }
        @Override public void setEntity(Object entity) { throw new UnsupportedOperationException(); }
        @Override public void setEntity(Object entity, Annotation[] annotations, MediaType mediaType) {
            throw new UnsupportedOperationException();
        }
        @Override public Annotation[] getEntityAnnotations() { return new Annotation[0]; }
        @Override public OutputStream getEntityStream() { return OutputStream.nullOutputStream(); }
        @Override public void setEntityStream(OutputStream outputStream) { throw new UnsupportedOperationException(); }
    }
}
