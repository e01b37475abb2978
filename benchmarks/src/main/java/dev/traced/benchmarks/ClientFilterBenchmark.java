package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.jaxrs.ClientTracingFilter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
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
 * The JAX-RS client filter's own work per call (request filter, then response filter), in the default
 * configuration, on a request context that does nothing but hold properties and headers: the call's
 * span (a child of the active span, as for a call made while a request is handled), its tags, the
 * injection of its context into the request headers, and its end. {@code clientCall} is the same
 * call without the filter (the headers map cleared, the status read): the difference is the filter's.
 *
 * <p>The headers map is JAX-RS's {@code MultivaluedHashMap}, as a runtime's would be: each header put
 * costs its list and node (RESTEasy's own map does the same); the span is finished into
 * {@code dd.trace.writer=none}, so no encoding or delivery is counted (those happen on the writer thread).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClientFilterBenchmark {

    private final Request request = new Request(URI.create("http://127.0.0.1:8080/orders/42"));
    private final ResponseContext response = new ResponseContext();
    private CloseableTracer tracer;
    private ClientTracingFilter filter;
    private Span server;
    private CloseableTracer w3cTracer;
    private ClientTracingFilter w3cFilter;
    private Span w3cServer;
    private OpenTelemetrySdk otel;
    private OtelFilters.Client otelFilter;
    private io.opentelemetry.api.trace.Span otelServer;
    private io.opentelemetry.context.Scope otelScope;

    @Setup
    public void setUp() {
        tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench")
                .config("dd.trace.writer", "none")
                .build();
        filter = new ClientTracingFilter(tracer);
        // Thread-scoped state is set up on the benchmark's thread: the client spans are its children.
        server = tracer.spanBuilder("servlet.request").start();
        w3cTracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench")
                .config("dd.trace.writer", "none")
                .config("dd.trace.propagation.style", "tracecontext,baggage")
                .build();
        w3cFilter = new ClientTracingFilter(w3cTracer);
        w3cServer = w3cTracer.spanBuilder("servlet.request").start();
        otel = OtelFilters.sdk();
        otelFilter = new OtelFilters.Client(otel);
        otelServer = otel.getTracer("bench").spanBuilder("servlet.request").startSpan();
        otelScope = otelServer.makeCurrent();
    }

    @TearDown
    public void tearDown() {
        w3cServer.close();
        w3cTracer.close();
        server.close();
        tracer.close();
        otelScope.close();
        otelServer.end();
        otel.close();
    }

    @Benchmark
    public int clientFilter() {
        request.headers.clear();
        filter.filter(request);
        filter.filter(request, response);
        return request.headers.size();
    }

    /**
     * The same call with traced in OpenTelemetry's styles ({@code tracecontext,baggage}): the headers
     * written are OpenTelemetry's ({@code traceparent}, and {@code tracestate} with traced's {@code dd}
     * member), where the default styles write six.
     */
    @Benchmark
    public int clientFilterW3c() {
        request.headers.clear();
        w3cFilter.filter(request);
        w3cFilter.filter(request, response);
        return request.headers.size();
    }

    /** The same call through an OpenTelemetry client filter ({@link OtelFilters.Client}), a child of its server span. */
    @Benchmark
    public int otelClientFilter() {
        request.headers.clear();
        otelFilter.filter(request);
        otelFilter.filter(request, response);
        return request.headers.size();
    }

    @Benchmark
    public int clientCall() {
        request.headers.clear();
        return request.headers.size() + response.getStatus();
    }

    /** A request context holding its URI, properties and headers; what the filter does not use is unsupported. */
    static final class Request implements ClientRequestContext {
        final URI uri;
        final MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        private final Map<String, Object> properties = new HashMap<>();

        Request(URI uri) {
            this.uri = uri;
        }

        @Override public Object getProperty(String name) { return properties.get(name); }
        @Override public Collection<String> getPropertyNames() { return properties.keySet(); }
        @Override public void setProperty(String name, Object object) { properties.put(name, object); }
        @Override public void removeProperty(String name) { properties.remove(name); }
        @Override public URI getUri() { return uri; }
        @Override public void setUri(URI uri) { throw new UnsupportedOperationException(); }
        @Override public String getMethod() { return "GET"; }
        @Override public void setMethod(String method) { throw new UnsupportedOperationException(); }
        @Override public MultivaluedMap<String, Object> getHeaders() { return headers; }
        @Override public MultivaluedMap<String, String> getStringHeaders() { throw new UnsupportedOperationException(); }
        @Override public String getHeaderString(String name) {
            List<Object> values = headers.get(name);
            return values == null || values.isEmpty() ? null : String.valueOf(values.get(0));
        }
        @Override public boolean containsHeaderString(String name, String valueSeparatorRegex,
                                                      java.util.function.Predicate<String> valuePredicate) {
            throw new UnsupportedOperationException();
        }
        @Override public Date getDate() { return null; }
        @Override public Locale getLanguage() { return null; }
        @Override public MediaType getMediaType() { return null; }
        @Override public List<MediaType> getAcceptableMediaTypes() { return List.of(); }
        @Override public List<Locale> getAcceptableLanguages() { return List.of(); }
        @Override public Map<String, Cookie> getCookies() { return Map.of(); }
        @Override public boolean hasEntity() { return false; }
        @Override public Object getEntity() { return null; }
        @Override public Class<?> getEntityClass() { return null; }
        @Override public Type getEntityType() { return null; }
        @Override public void setEntity(Object entity) { throw new UnsupportedOperationException(); }
        @Override public void setEntity(Object entity, Annotation[] annotations, MediaType mediaType) {
            throw new UnsupportedOperationException();
        }
        @Override public Annotation[] getEntityAnnotations() { return new Annotation[0]; }
        @Override public OutputStream getEntityStream() { return null; }
        @Override public void setEntityStream(OutputStream outputStream) { throw new UnsupportedOperationException(); }
        @Override public Client getClient() { return null; }
        @Override public Configuration getConfiguration() { return null; }
        @Override public void abortWith(Response response) { throw new UnsupportedOperationException(); }
    }

    /** A 200 response without headers. */
    static final class ResponseContext extends EmptyResponse implements ClientResponseContext {
        @Override public MultivaluedMap<String, String> getHeaders() { return new MultivaluedHashMap<>(); }
        @Override public InputStream getEntityStream() { return null; }
        @Override public void setEntityStream(InputStream input) { throw new UnsupportedOperationException(); }
    }
}
