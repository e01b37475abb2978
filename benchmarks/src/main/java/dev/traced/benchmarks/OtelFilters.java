package dev.traced.benchmarks;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanStatusExtractor;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.util.List;

/**
 * The OpenTelemetry rows of the filter benchmarks: a JAX-RS server filter and a client filter that do
 * with OpenTelemetry what traced's filters do (a span per request or call, the HTTP attributes, the
 * caller's context read, the call's context written, in OpenTelemetry's default styles: W3C trace context
 * and baggage), built on OpenTelemetry's {@code Instrumenter} API and its HTTP semantic-convention
 * extractors, as its own library instrumentations are. No metrics (traced computes none on the request
 * thread); the SDK hands each ended span to a processor that drops it, as traced's {@code none} writer.
 */
final class OtelFilters {

    private static final String CONTEXT = "bench.otel.context";
    private static final String SCOPE = "bench.otel.scope";

    private OtelFilters() {
    }

    /** The SDK, its spans dropped when they end, with OpenTelemetry's default propagators. */
    static OpenTelemetrySdk sdk() {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(new OtelSpanBenchmark.DroppingProcessor()).build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
    }

    /** The server span: started and made current by the request filter, ended by the response filter. */
    static final class Server implements ContainerRequestFilter, ContainerResponseFilter {
        private final Instrumenter<ContainerRequestContext, ContainerResponseContext> instrumenter;

        Server(OpenTelemetry otel) {
            instrumenter = Instrumenter.<ContainerRequestContext, ContainerResponseContext>builder(
                            otel, "bench-jaxrs", HttpSpanNameExtractor.create(ServerAttributes.INSTANCE))
                    .setSpanStatusExtractor(HttpSpanStatusExtractor.create(ServerAttributes.INSTANCE))
                    .addAttributesExtractor(HttpServerAttributesExtractor.create(ServerAttributes.INSTANCE))
                    .buildServerInstrumenter(RequestHeaders.INSTANCE);
        }

        @Override
        public void filter(ContainerRequestContext request) {
            Context parent = Context.current();
            if (!instrumenter.shouldStart(parent, request)) {
                return;
            }
            Context context = instrumenter.start(parent, request);
            request.setProperty(CONTEXT, context);
            request.setProperty(SCOPE, context.makeCurrent());
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (request.getProperty(CONTEXT) instanceof Context context) {
                ((Scope) request.getProperty(SCOPE)).close();
                instrumenter.end(context, request, response, null);
            }
        }
    }

    /** The client span: started by the request filter (its context written into the headers), ended by the response filter. */
    static final class Client implements ClientRequestFilter, ClientResponseFilter {
        private final Instrumenter<ClientRequestContext, ClientResponseContext> instrumenter;

        Client(OpenTelemetry otel) {
            instrumenter = Instrumenter.<ClientRequestContext, ClientResponseContext>builder(
                            otel, "bench-jaxrs-client", HttpSpanNameExtractor.create(ClientAttributes.INSTANCE))
                    .setSpanStatusExtractor(HttpSpanStatusExtractor.create(ClientAttributes.INSTANCE))
                    .addAttributesExtractor(HttpClientAttributesExtractor.create(ClientAttributes.INSTANCE))
                    .buildClientInstrumenter((request, name, value) -> request.getHeaders().putSingle(name, value));
        }

        @Override
        public void filter(ClientRequestContext request) {
            Context parent = Context.current();
            if (instrumenter.shouldStart(parent, request)) {
                request.setProperty(CONTEXT, instrumenter.start(parent, request));
            }
        }

        @Override
        public void filter(ClientRequestContext request, ClientResponseContext response) {
            if (request.getProperty(CONTEXT) instanceof Context context) {
                request.removeProperty(CONTEXT);
                instrumenter.end(context, request, response, null);
            }
        }
    }

    /** A header's values as the extractors read them, from the one {@code getHeaderString} returns. */
    private static List<String> headerValues(String header) {
        return header == null ? List.of() : List.of(header);
    }

    private enum RequestHeaders implements TextMapGetter<ContainerRequestContext> {
        INSTANCE;

        @Override
        public Iterable<String> keys(ContainerRequestContext request) {
            return request.getHeaders().keySet();
        }

        @Override
        public String get(ContainerRequestContext request, String name) {
            return request == null ? null : request.getHeaderString(name);
        }
    }

    private enum ServerAttributes implements HttpServerAttributesGetter<ContainerRequestContext, ContainerResponseContext> {
        INSTANCE;

        @Override
        public String getHttpRequestMethod(ContainerRequestContext request) {
            return request.getMethod();
        }

        @Override
        public List<String> getHttpRequestHeader(ContainerRequestContext request, String name) {
            return headerValues(request.getHeaderString(name));
        }

        @Override
        public Integer getHttpResponseStatusCode(ContainerRequestContext request, ContainerResponseContext response,
                                                 Throwable error) {
            return response.getStatus();
        }

        @Override
        public List<String> getHttpResponseHeader(ContainerRequestContext request, ContainerResponseContext response,
                                                  String name) {
            return headerValues(response.getHeaderString(name));
        }

        @Override
        public String getUrlScheme(ContainerRequestContext request) {
            return request.getUriInfo().getRequestUri().getScheme();
        }

        @Override
        public String getUrlPath(ContainerRequestContext request) {
            return request.getUriInfo().getRequestUri().getRawPath();
        }

        @Override
        public String getUrlQuery(ContainerRequestContext request) {
            return request.getUriInfo().getRequestUri().getRawQuery();
        }

        @Override
        public String getHttpRoute(ContainerRequestContext request) {
            return request.getUriInfo().getMatchedResourceTemplate();
        }
    }

    private enum ClientAttributes implements HttpClientAttributesGetter<ClientRequestContext, ClientResponseContext> {
        INSTANCE;

        @Override
        public String getUrlFull(ClientRequestContext request) {
            return request.getUri().toString();
        }

        @Override
        public String getServerAddress(ClientRequestContext request) {
            return request.getUri().getHost();
        }

        @Override
        public Integer getServerPort(ClientRequestContext request) {
            return request.getUri().getPort();
        }

        @Override
        public String getHttpRequestMethod(ClientRequestContext request) {
            return request.getMethod();
        }

        @Override
        public List<String> getHttpRequestHeader(ClientRequestContext request, String name) {
            return headerValues(request.getHeaderString(name));
        }

        @Override
        public Integer getHttpResponseStatusCode(ClientRequestContext request, ClientResponseContext response,
                                                 Throwable error) {
            return response.getStatus();
        }

        @Override
        public List<String> getHttpResponseHeader(ClientRequestContext request, ClientResponseContext response,
                                                  String name) {
            return headerValues(response.getHeaderString(name));
        }
    }
}
