package dev.traced.jaxrs;

import dev.traced.Span;
import dev.traced.Tracer;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import dev.traced.internal.jaxrs.ResourceInvocationInterceptor;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * W3C baggage over a real hop: a caller sends {@code baggage}, the front resource reads it, adds an
 * item from code and reads it again on another thread, then calls the back resource with the
 * RESTEasy client; the client filter sends the baggage on and the back resource reads it. The spans
 * go to the test Agent over HTTP, which decodes the {@code baggage.<key>} tags
 * ({@code dd.trace.baggage.tag.keys}, default {@code user.id,session.id,account.id}) on each local root.
 */
class BaggageHopTest {

    static TestAgent agent;
    static EmbeddedServer server;
    static final HttpClient JDK = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, String> SETTINGS = Map.of(
            "dd.service", "baggage-shop",
            "dd.trace.flush.interval", "0.1");

    @BeforeAll
    static void start() {
        agent = TestAgent.start();
        SETTINGS.forEach(System::setProperty);
        System.setProperty("dd.trace.agent.port", Integer.toString(agent.port()));
        System.setProperty("dd.agent.host", "127.0.0.1");
        server = EmbeddedServer.start(BaggageApplication.class, TracerHolder.class, TracedInterceptor.class,
                ResourceInvocationInterceptor.class, FrontResource.class, BackResource.class);
    }

    @AfterAll
    static void stop() {
        try {
            server.close();
            agent.close();
        } finally {
            SETTINGS.keySet().forEach(System::clearProperty);
            System.clearProperty("dd.trace.agent.port");
            System.clearProperty("dd.agent.host");
        }
    }

    @Test
    void baggageCrossesTheHopAndThreadsAndTagsEachLocalRoot() throws Exception {
        HttpResponse<String> response = JDK.send(HttpRequest.newBuilder(server.uri("/front"))
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .header("baggage", "user.id=alice,session.id=s%2C1,team=sandwich%20makers;ttl=3")
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        // front saw: alice, on another thread too; back saw all items, the one set by front included.
        assertEquals("front=alice,other-thread=alice | back=alice,s,1,sandwich makers,42 | "
                + "header=user.id=alice,session.id=s%2C1,team=sandwich%20makers,order.id=42", response.body());

        Tracer tracer = server.weld().select(Tracer.class).get();
        assertTrue(tracer.flush(Duration.ofSeconds(5)));
        List<DecodedSpan> spans = agent.awaitSpans(3, Duration.ofSeconds(10));
        DecodedSpan front = span(spans, "GET /front");
        DecodedSpan back = span(spans, "GET /back");
        DecodedSpan call = spans.stream().filter(s -> s.name().equals("http.request")).findFirst().orElseThrow();

        assertEquals(0xa3ce929d0e0e4736L, front.traceId(), "the caller's trace");
        assertEquals(front.traceId(), back.traceId(), "one trace across the hop");
        assertEquals(call.spanId(), back.parentId(), "the back request continues the client span");
        // baggage.<key> for the default keys, on each local root (server span), as decoded by the Agent.
        assertEquals("alice", front.meta().get("baggage.user.id"));
        assertEquals("s,1", front.meta().get("baggage.session.id"));
        assertNull(front.meta().get("baggage.team"), "team is not in dd.trace.baggage.tag.keys");
        assertEquals("alice", back.meta().get("baggage.user.id"));
        assertFalse(back.meta().containsKey("baggage.order.id"));
        assertFalse(call.meta().containsKey("baggage.user.id"), "only local roots carry the tags");
    }

    private static DecodedSpan span(List<DecodedSpan> spans, String resource) {
        return spans.stream().filter(s -> s.name().equals("jax-rs.request") && s.resource().equals(resource))
                .findFirst().orElseThrow(() -> new AssertionError("no span " + resource + " in " + spans));
    }

    public static class BaggageApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(FrontResource.class, BackResource.class);
        }
    }

    @ApplicationScoped
    @Path("/front")
    public static class FrontResource {
        @Inject
        Tracer tracer;
        @Context
        UriInfo uriInfo;

        private final Client client = ClientBuilder.newClient();
        private final ExecutorService executor = Executors.newSingleThreadExecutor();

        @PreDestroy
        void close() {
            client.close();
            executor.shutdownNow();
        }

        @GET
        public String front() throws Exception {
            Span span = tracer.currentSpan();
            String seen = "front=" + span.getBaggageItem("user.id");
            span.setBaggageItem("order.id", "42");
            String otherThread = CompletableFuture.supplyAsync(
                    () -> tracer.currentSpan().getBaggageItem("user.id"), tracer.wrap(executor))
                    .get(5, TimeUnit.SECONDS);
            String back = client.target(uriInfo.getBaseUri()).path("back").request().get(String.class);
            return seen + ",other-thread=" + otherThread + " | " + back;
        }
    }

    @ApplicationScoped
    @Path("/back")
    public static class BackResource {
        @Inject
        Tracer tracer;

        @GET
        public String back(@HeaderParam("baggage") String header) {
            Map<String, String> baggage = tracer.currentSpan().baggage();
            return "back=" + String.join(",", baggage.get("user.id"), baggage.get("session.id"),
                    baggage.get("team"), baggage.get("order.id")) + " | header=" + header;
        }
    }
}
