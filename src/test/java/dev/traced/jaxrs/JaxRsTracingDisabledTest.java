package dev.traced.jaxrs;

import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.Traced;
import dev.traced.Tracer;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import dev.traced.internal.jaxrs.ResourceInvocationInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dd.trace.enabled=false} on a real server: the filters stay installed and do nothing, and
 * resource code written as the README shows it ({@code tracer.currentRootSpan().setTag(...)}) runs
 * unchanged: every request answers as it would with tracing on, nothing is recorded, and outgoing
 * calls carry no trace headers.
 */
class JaxRsTracingDisabledTest {

    private static final Map<String, String> SETTINGS = Map.of("dd.trace.enabled", "false");
    static final InMemoryTraces TRACES = new InMemoryTraces();

    static EmbeddedServer server;
    static Client client;

    @BeforeAll
    static void start() {
        SETTINGS.forEach(System::setProperty);
        server = EmbeddedServer.start(OffApplication.class, TracerHolder.class, TracedInterceptor.class,
                ResourceInvocationInterceptor.class, Traces.class, Till.class, OrderResource.class,
                EchoResource.class);
        client = ClientBuilder.newClient();
    }

    @AfterAll
    static void stop() {
        try {
            client.close();
            server.close();
        } finally {
            SETTINGS.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void resourceCodeThatTagsTheCurrentSpansAnswersAsWithTracingOn() {
        try (Response response = client.target(server.uri("/orders/12")).request().get()) {
            assertEquals(200, response.getStatus());
            assertEquals("order 12 paid; root recording=false; current recording=false", response.readEntity(String.class));
        }
        assertTrue(TRACES.traces().isEmpty(), TRACES.traces().toString());
    }

    @Test
    void anErrorRecordedOnTheRootSpanDoesNotChangeTheResponse() {
        try (Response response = client.target(server.uri("/orders/refused")).request().get()) {
            assertEquals(402, response.getStatus());
        }
        assertTrue(TRACES.traces().isEmpty(), TRACES.traces().toString());
    }

    @Test
    void outgoingCallsCarryNoTraceHeaders() {
        try (Response response = client.target(server.uri("/orders/forward")).request().get()) {
            assertEquals(200, response.getStatus());
            assertEquals("x-datadog-trace-id=null traceparent=null", response.readEntity(String.class));
        }
    }

    public static class OffApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(OrderResource.class, EchoResource.class);
        }
    }

    @ApplicationScoped
    public static class Traces {
        @Produces
        @ApplicationScoped
        InMemoryTraces traces() {
            return TRACES;
        }
    }

    @ApplicationScoped
    public static class Till {
        @Inject
        Tracer tracer;

        @Traced("till.pay")
        public boolean pay(String order) {
            tracer.currentSpan().setTag("order.id", order);
            return tracer.currentSpan().isRecording();
        }
    }

    @ApplicationScoped
    @Path("/orders")
    public static class OrderResource {
        @Inject
        Tracer tracer;
        @Inject
        Till till;
        @Context
        UriInfo uriInfo;

        @GET
        @Path("{id}")
        public String order(@PathParam("id") String id) {
            // The README's code, unchanged.
            tracer.currentRootSpan().setTag("order.id", id);
            boolean currentRecording = till.pay(id);
            return "order " + id + " paid; root recording=" + tracer.currentRootSpan().isRecording()
                    + "; current recording=" + currentRecording;
        }

        @GET
        @Path("refused")
        public Response refused() {
            Span root = tracer.currentRootSpan();
            root.setError(new IllegalStateException("card refused"));
            root.setTag("payment.refused", true);
            return Response.status(402).entity("refused").build();
        }

        @GET
        @Path("forward")
        public String forward() {
            try (Client outgoing = ClientBuilder.newClient()) {
                return outgoing.target(uriInfo.getBaseUriBuilder().path("echo")).request().get(String.class);
            }
        }
    }

    @ApplicationScoped
    @Path("/echo")
    public static class EchoResource {
        @GET
        public String echo(@Context HttpHeaders headers) {
            return "x-datadog-trace-id=" + headers.getHeaderString("x-datadog-trace-id")
                    + " traceparent=" + headers.getHeaderString("traceparent");
        }
    }
}
