package dev.traced.compat.jersey;

import com.sun.net.httpserver.HttpServer;
import dev.traced.TracingFeature;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jersey 4 with Weld SE, the library added as a dependency and nothing registered: a server on
 * 127.0.0.1 (Jersey on the JDK's HTTP server, resources as CDI beans through jersey-cdi1x), a plain
 * {@code ClientBuilder.newClient()} client inside a resource, and the traces as the Agent receives them.
 */
class JerseyWeldTest {

    private static final Map<String, String> SETTINGS = Map.of(
            "dd.service", "jersey-shop",
            "dd.trace.flush.interval", "0.1");

    static TestAgent agent;
    static WeldContainer weld;
    /** Nothing registered: Jersey's auto-discovery finds the filters. */
    static HttpServer plain;
    /**
     * A second application, with {@code TracingFeature} registered on top of auto-discovery. Its
     * resource is not a CDI bean: jersey-cdi1x serves the beans of one application per container.
     */
    static HttpServer withFeature;
    static final HttpClient JDK = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        agent = TestAgent.start();
        SETTINGS.forEach(System::setProperty);
        System.setProperty("dd.trace.agent.url", agent.url());
        weld = new Weld().initialize();
        plain = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application());
        withFeature = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"),
                new ResourceConfig(Shop.PingResource.class).register(TracingFeature.class));
    }

    private static ResourceConfig application() {
        return new ResourceConfig(Shop.SandwichResource.class, Shop.BreadResource.class);
    }

    @AfterAll
    static void stop() {
        try {
            plain.stop(0);
            withFeature.stop(0);
            weld.shutdown();
            agent.close();
        } finally {
            SETTINGS.keySet().forEach(System::clearProperty);
            System.clearProperty("dd.trace.agent.url");
        }
    }

    /** Spans the Agent had received before the current test. */
    static int seen;

    @BeforeEach
    void clear() throws Exception {
        // Spans of an earlier test may still arrive: give the writer time, then count them as seen.
        Thread.sleep(300);
        seen = agent.spans().size();
        Shop.RECEIVED.clear();
    }

    @Test
    void theClassPathHasJerseyAndNoRestEasy() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.jboss.resteasy.spi.ResteasyProviderFactory"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.jboss.resteasy.core.ResteasyDeploymentImpl"));
        Client client = ClientBuilder.newClient();
        try {
            assertTrue(client.getClass().getName().startsWith("org.glassfish.jersey."), client.getClass().getName());
        } finally {
            client.close();
        }
    }

    @Test
    void serverClientServerIsOneTraceWithDatadogAndW3cHeaders() throws Exception {
        assertEquals("sandwich 3 on rye bread", get(plain, "/sandwiches/3/with-bread"));

        List<DecodedSpan> spans = awaitSpans(4);
        DecodedSpan outer = only(spans, s -> s.name().equals("jax-rs.request") && s.resource().equals("GET /sandwiches/{id}/with-bread"));
        DecodedSpan call = only(spans, s -> s.name().equals("http.request"));
        DecodedSpan inner = only(spans, s -> s.name().equals("jax-rs.request") && s.resource().equals("GET /bread/{kind}"));
        DecodedSpan assemble = only(spans, s -> s.name().equals("assemble_sandwich"));

        for (DecodedSpan span : List.of(call, inner, assemble)) {
            assertEquals(outer.traceId(), span.traceId(), span.name());
        }
        assertEquals(0, outer.parentId());
        assertEquals(outer.spanId(), call.parentId());
        assertEquals(call.spanId(), inner.parentId());
        assertEquals(outer.spanId(), assemble.parentId());

        assertEquals("web", outer.type());
        assertEquals("server", outer.meta().get("span.kind"));
        assertEquals("jax-rs", outer.meta().get("component"));
        assertEquals("200", outer.meta().get("http.status_code"));
        assertEquals("http", call.type());
        assertEquals("client", call.meta().get("span.kind"));
        assertEquals("jax-rs-client", call.meta().get("component"));
        assertEquals("GET /bread/rye", call.resource());
        assertEquals("200", call.meta().get("http.status_code"));
        assertEquals("web", inner.type());
        assertEquals("jersey-shop", inner.service());
        assertEquals("3", assemble.meta().get("sandwich.id"));

        // What the client sent, as the called server received it.
        Map<String, String> headers = Shop.RECEIVED;
        assertEquals(Long.toUnsignedString(outer.traceId()), headers.get("x-datadog-trace-id"));
        assertEquals(Long.toUnsignedString(call.spanId()), headers.get("x-datadog-parent-id"));
        String traceparent = headers.get("traceparent");
        assertTrue(traceparent.matches("00-[0-9a-f]{16}" + String.format("%016x", outer.traceId())
                + "-" + String.format("%016x", call.spanId()) + "-03"), traceparent); // kept, random trace id (W3C Level 2)
        assertTrue(headers.get("tracestate").startsWith("dd="), headers.get("tracestate"));
    }

    @Test
    void manualRegistrationOnTopOfAutoDiscoveryGivesOneSpanPerCall() throws Exception {
        assertEquals("sandwich 4 on spelt bread", get(plain, "/sandwiches/4/with-bread-manual"));
        List<DecodedSpan> spans = awaitSpans(4);
        DecodedSpan call = only(spans, s -> s.name().equals("http.request"));
        DecodedSpan inner = only(spans, s -> s.name().equals("jax-rs.request") && s.resource().equals("GET /bread/{kind}"));
        assertEquals(call.spanId(), inner.parentId());
        assertEquals(call.traceId(), inner.traceId());
    }

    @Test
    void featureOnTheServerTooGivesOneServerSpanPerRequest() throws Exception {
        assertEquals("pong", get(withFeature, "/ping"));
        DecodedSpan server = only(awaitSpans(1), s -> s.name().equals("jax-rs.request"));
        assertEquals("GET /ping", server.resource());
        assertEquals("200", server.meta().get("http.status_code"));
    }

    @Test
    void theServerSpanIsActiveInTheResourceAndLeavesNoSpanBehind() throws Exception {
        assertEquals("active", get(plain, "/sandwiches/active"));
        only(awaitSpans(1), s -> s.resource().equals("GET /sandwiches/active"));
    }

    private static String get(HttpServer server, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        HttpResponse<String> response = JDK.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** Waits for at least {@code n} spans, then a little longer, so that a duplicate would show. */
    private static List<DecodedSpan> awaitSpans(int n) throws InterruptedException {
        agent.awaitSpans(seen + n, Duration.ofSeconds(10));
        Thread.sleep(300);
        List<DecodedSpan> all = agent.spans();
        return all.subList(seen, all.size());
    }

    private static DecodedSpan only(List<DecodedSpan> spans, Predicate<DecodedSpan> filter) {
        List<DecodedSpan> found = spans.stream().filter(filter).toList();
        assertEquals(1, found.size(), () -> "expected one span, got " + found + " among " + spans);
        return found.get(0);
    }
}
