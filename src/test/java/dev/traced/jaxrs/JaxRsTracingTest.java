package dev.traced.jaxrs;

import dev.traced.FinishedSpan;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import dev.traced.internal.jaxrs.ResourceInvocationInterceptor;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Predicate;

import static dev.traced.jaxrs.ShopResources.SEEN_ACTIVE;
import static dev.traced.jaxrs.ShopResources.TRACES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server and client filters on a real server (RESTEasy + Undertow + Weld on 127.0.0.1), called
 * over real sockets with the RESTEasy client, or with the JDK client when a test needs to send
 * exact headers.
 */
class JaxRsTracingTest {

    private static final Map<String, String> SETTINGS = Map.of(
            "dd.service", "sandwich-shop",
            "dd.trace.resources.ignore", "ignored-by-config$",
            "dd.trace.header.tags", "X-Request-Id:request.id,Content-Type",
            "dd.trace.client.ip.enabled", "true");

    static EmbeddedServer server;
    static Client client;
    static final HttpClient JDK = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        SETTINGS.forEach(System::setProperty);
        server = EmbeddedServer.start(ShopResources.ShopApplication.class,
                TracerHolder.class, TracedInterceptor.class, ResourceInvocationInterceptor.class,
                ShopResources.TracesProducer.class, ShopResources.Kitchen.class,
                ShopResources.SandwichResource.class, ShopResources.BreadResource.class,
                ShopResources.HealthResource.class, ShopResources.ProbeResource.class,
                ShopResources.MenuResource.class);
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

    @BeforeEach
    void clear() {
        TRACES.clear();
        SEEN_ACTIVE.clear();
    }

    @Test
    void headerTagsAndClientIpAreRecorded() throws Exception {
        HttpResponse<String> response = jdkGet("/sandwiches/3", Map.of(
                "X-Request-Id", "req-42", "X-Forwarded-For", "203.0.113.7, 10.0.0.1"));
        assertEquals(200, response.statusCode());
        FinishedSpan server = awaitSpan("jax-rs.request", "GET /sandwiches/{id}");
        assertEquals("req-42", server.tag("request.id"));
        assertEquals("203.0.113.7", server.tag("http.client_ip"));
        assertEquals(response.headers().firstValue("Content-Type").orElseThrow(),
                server.tag("http.response.headers.content-type"));
    }

    @Test
    void requestWithDatadogHeadersContinuesTheTrace() throws Exception {
        HttpResponse<String> response = jdkGet("/sandwiches/7", Map.of(
                "x-datadog-trace-id", "1234567890123",
                "x-datadog-parent-id", "987654321",
                "x-datadog-sampling-priority", "2",
                "User-Agent", "sandwich-tests/1.0"));
        assertEquals(200, response.statusCode());
        assertEquals("sandwich 7", response.body());

        FinishedSpan server = awaitSpan("jax-rs.request", "GET /sandwiches/{id}");
        assertEquals(String.format("%032x", 1234567890123L), server.traceId());
        assertEquals(String.format("%016x", 987654321L), server.parentId());
        assertEquals("sandwich-shop", server.service());
        assertEquals("web", server.spanType());
        assertEquals("server", server.tag("span.kind"));
        assertEquals("jax-rs", server.tag("component"));
        assertEquals("GET", server.tag("http.method"));
        assertEquals("/sandwiches/{id}", server.tag("http.route"));
        assertEquals(server("/sandwiches/7").toString(), server.tag("http.url"));
        assertEquals("200", server.meta().get("http.status_code"));
        assertEquals("sandwich-tests/1.0", server.tag("http.useragent"));
        assertEquals("1", server.tag("_dd.measured"));
        assertEquals("1", server.tag("_dd.top_level"));
        assertEquals("2", server.tag("_sampling_priority_v1"));
        assertFalse(server.isError());

        // The span was active in the resource method, and the @Traced bean it called is its child.
        assertEquals("jax-rs.request", SEEN_ACTIVE.get("sync"));
        FinishedSpan assemble = awaitSpan("assemble_sandwich", null);
        assertEquals(server.spanId(), assemble.parentId());
        assertEquals(server.traceId(), assemble.traceId());
    }

    @Test
    void aHeaderSentOnSeveralLinesIsReadAsItsValuesJoined() throws Exception {
        // RESTEasy's header map is read directly (getHeaderString copies every value): a header
        // sent on two lines must still be seen whole, as getHeaderString would join it.
        HttpRequest request = HttpRequest.newBuilder(server("/sandwiches/8")).timeout(Duration.ofSeconds(10))
                .header("traceparent", "00-92913756556579466547c1a7a2e3c3f7-48485a3953bb6124-01")
                .header("baggage", "user.id=alice")
                .header("baggage", "session.id=7f3a9c2e")
                .header("X-Forwarded-For", "203.0.113.9")
                .header("X-Forwarded-For", "10.0.0.1")
                .build();
        assertEquals(200, JDK.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
        FinishedSpan server = awaitSpan("jax-rs.request", "GET /sandwiches/{id}");
        assertEquals("92913756556579466547c1a7a2e3c3f7", server.traceId());
        assertEquals("alice", server.tag("baggage.user.id"));
        assertEquals("7f3a9c2e", server.tag("baggage.session.id"));
        assertEquals("203.0.113.9", server.tag("http.client_ip"));
    }

    @Test
    void resourceCallingAnotherThroughTheClientIsOneTrace() {
        String body = client.target(server("/sandwiches/3/with-bread")).request().get(String.class);
        assertEquals("sandwich 3 on rye bread", body);

        FinishedSpan caller = awaitSpan("http.request", "GET /sandwiches/?/with-bread");
        FinishedSpan outer = awaitSpan("jax-rs.request", "GET /sandwiches/{id}/with-bread");
        FinishedSpan call = awaitSpan("http.request", "GET /bread/rye");
        FinishedSpan inner = awaitSpan("jax-rs.request", "GET /bread/{kind}");

        for (FinishedSpan span : List.of(outer, call, inner)) {
            assertEquals(caller.traceId(), span.traceId(), span.resource());
        }
        assertEquals("0000000000000000", caller.parentId());
        assertEquals(caller.spanId(), outer.parentId());
        assertEquals(outer.spanId(), call.parentId());
        assertEquals(call.spanId(), inner.parentId());

        assertEquals("http", call.spanType());
        assertEquals("client", call.tag("span.kind"));
        assertEquals("jax-rs-client", call.tag("component"));
        assertEquals("GET", call.tag("http.method"));
        assertEquals(server("/bread/rye").toString(), call.tag("http.url"));
        assertEquals("200", call.tag("http.status_code"));
        assertEquals("1", call.tag("_dd.measured"));
        assertFalse(call.isError());
    }

    @Test
    void clientMarksFourHundredsAsErrors() {
        try (Response response = client.target(server("/sandwiches/missing/1")).request().get()) {
            assertEquals(404, response.getStatus());
        }
        FinishedSpan call = awaitSpan("http.request", "GET /sandwiches/missing/?");
        assertEquals("404", call.tag("http.status_code"));
        assertTrue(call.isError());
    }

    @Test
    void clientCallWithoutResponseIsEndedWithItsRequest() throws Exception {
        HttpResponse<String> response = jdkGet("/sandwiches/5/delivery", Map.of());
        assertEquals(502, response.statusCode());

        FinishedSpan server = awaitSpan("jax-rs.request", "GET /sandwiches/{id}/delivery");
        FinishedSpan call = awaitSpan("http.request", "GET /couriers/?");
        assertEquals(server.traceId(), call.traceId());
        assertEquals(server.spanId(), call.parentId());
        assertTrue(call.isError());
        assertTrue(call.tag("error.message").startsWith("no response"), call.tag("error.message"));
        assertNull(call.tag("http.status_code"));
        assertEquals("502", server.tag("http.status_code"));
    }

    @Test
    void healthCheckAndConfiguredExclusionsLeaveNoTrace() throws Exception {
        Map<String, String> headers = Map.of("x-datadog-trace-id", "42", "x-datadog-parent-id", "43");
        assertEquals("ok", jdkGet("/health", headers).body());
        assertEquals("not traced", jdkGet("/sandwiches/ignored-by-config", headers).body());
        assertEquals(200, jdkGet("/sandwiches/1", Map.of()).statusCode());

        awaitSpan("jax-rs.request", "GET /sandwiches/{id}");
        for (FinishedSpan span : TRACES.spans()) {
            assertFalse(span.resource().contains("health") || span.resource().contains("ignored"), span.resource());
            assertNotEquals(String.format("%032x", 42), span.traceId());
        }
    }

    @Test
    void exceptionMappedToNotFoundIsRecordedButNotAnError() throws Exception {
        HttpResponse<String> response = jdkGet("/sandwiches/missing/9", Map.of());
        // The mapper's response, unchanged.
        assertEquals(404, response.statusCode());
        assertEquals("no sandwich 9", response.body());

        FinishedSpan span = awaitSpan("jax-rs.request", "GET /sandwiches/missing/{id}");
        assertEquals("404", span.tag("http.status_code"));
        // Datadog: the status decides the error flag of a server span (500-599 by default)...
        assertFalse(span.isError());
        // ...and the exception the resource threw is on it, recorded before the mapper ran.
        assertEquals(ShopResources.NoSuchSandwich.class.getName(), span.tag("error.type"));
        assertEquals("no sandwich 9", span.tag("error.message"));
        assertTrue(span.tag("error.stack").contains("SandwichResource.missing"));
    }

    @Test
    void serviceUnavailableIsAnError() throws Exception {
        HttpResponse<String> response = jdkGet("/sandwiches/closed", Map.of());
        assertEquals(503, response.statusCode());

        FinishedSpan span = awaitSpan("jax-rs.request", "GET /sandwiches/closed");
        assertEquals("503", span.tag("http.status_code"));
        assertTrue(span.isError());
        assertEquals("jakarta.ws.rs.ServiceUnavailableException", span.tag("error.type"));
        assertEquals("the kitchen is closed", span.tag("error.message"));
    }

    @Test
    void asyncResponseEndsTheSpanWhenResumed() throws Exception {
        assertEquals("sandwich 5", jdkGet("/sandwiches/async/5", Map.of()).body());

        FinishedSpan span = awaitSpan("jax-rs.request", "GET /sandwiches/async/{id}");
        FinishedSpan assemble = awaitSpan("assemble_sandwich", null);
        assertEquals("jax-rs.request", SEEN_ACTIVE.get("async"));
        assertEquals(span.spanId(), assemble.parentId());
        assertEquals("200", span.tag("http.status_code"));
        assertNoSpanLeftActiveOnWorkers();
    }

    @Test
    void completionStageEndsTheSpanWhenComplete() throws Exception {
        assertEquals("staged 6", jdkGet("/sandwiches/stage/6", Map.of()).body());

        FinishedSpan span = awaitSpan("jax-rs.request", "GET /sandwiches/stage/{id}");
        assertEquals("jax-rs.request", SEEN_ACTIVE.get("stage"));
        assertEquals("200", span.tag("http.status_code"));
        assertNoSpanLeftActiveOnWorkers();
    }

    @Test
    void noSpanStaysActiveOnWorkerThreadsAfterRequests() throws Exception {
        jdkGet("/sandwiches/1", Map.of());
        jdkGet("/sandwiches/missing/2", Map.of());
        jdkGet("/sandwiches/closed", Map.of());
        jdkGet("/sandwiches/3/with-bread", Map.of());
        assertNoSpanLeftActiveOnWorkers();
    }

    @Test
    void queryStringIsObfuscatedAndUrlHasNone() throws Exception {
        jdkGet("/sandwiches/search?filling=ham&password=hunter2&api_key=s3cr3t&size=large", Map.of());

        FinishedSpan span = awaitSpan("jax-rs.request", "GET /sandwiches/search");
        assertEquals("filling=ham&<redacted>&<redacted>&size=large", span.tag("http.query.string"));
        assertEquals(server("/sandwiches/search").toString(), span.tag("http.url"));
    }

    @Test
    void badHeadersDoNotBreakTheRequest() throws Exception {
        List<Map<String, String>> hostile = List.of(
                Map.of("x-datadog-trace-id", "not-a-number", "x-datadog-parent-id", "-1"),
                Map.of("x-datadog-trace-id", "0", "x-datadog-parent-id", "0", "x-datadog-tags", "x".repeat(10_000)),
                Map.of("traceparent", "00-zzzz-zzzz-01", "tracestate", "dd=s:\u00e9;;;"),
                Map.of("traceparent", "ff-" + "0".repeat(32) + "-" + "0".repeat(16) + "-00"),
                Map.of("b3", "garbage", "baggage", "%%%=%%%," + "k=v;".repeat(2000)));
        for (Map<String, String> headers : hostile) {
            HttpResponse<String> response = jdkGet("/sandwiches/8", headers);
            assertEquals(200, response.statusCode(), headers.keySet().toString());
            assertEquals("sandwich 8", response.body());
        }
        List<FinishedSpan> servers = awaitSpans(s -> s.operationName().equals("jax-rs.request"), hostile.size());
        for (FinishedSpan span : servers) {
            assertEquals("0000000000000000", span.parentId(), "a new trace, not a broken one");
        }
    }

    @Test
    void headRequestStillEndsItsSpan() throws Exception {
        HttpRequest head = HttpRequest.newBuilder(server("/sandwiches/4"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        assertEquals(200, JDK.send(head, HttpResponse.BodyHandlers.discarding()).statusCode());
        FinishedSpan span = awaitSpan("jax-rs.request", "HEAD /sandwiches/{id}");
        assertEquals("200", span.tag("http.status_code"));
    }

    @Test
    void resourceCdiCannotInterceptIsStillTraced() throws Exception {
        assertEquals("blt, cheese", jdkGet("/menu", Map.of()).body());
        FinishedSpan span = awaitSpan("jax-rs.request", "GET /menu");
        assertEquals("200", span.tag("http.status_code"));
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Two concurrent requests hold both worker threads; each reports the span active on it. */
    private static void assertNoSpanLeftActiveOnWorkers() throws Exception {
        ShopResources.ProbeResource.barrier = new CyclicBarrier(2);
        HttpRequest probe = HttpRequest.newBuilder(server("/probe")).timeout(Duration.ofSeconds(10)).build();
        CompletableFuture<HttpResponse<String>> first = JDK.sendAsync(probe, HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> second = JDK.sendAsync(probe, HttpResponse.BodyHandlers.ofString());
        String a = first.get().body();
        String b = second.get().body();
        assertTrue(a.startsWith("none "), a);
        assertTrue(b.startsWith("none "), b);
        assertNotEquals(a, b, "both worker threads were probed");
    }

    static URI server(String path) {
        return server.uri(path);
    }

    static HttpResponse<String> jdkGet(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server(path)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return JDK.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static FinishedSpan awaitSpan(String operation, String resource) {
        return awaitSpans(span -> span.operationName().equals(operation)
                && (resource == null || resource.equals(span.resource())), 1).get(0);
    }

    static List<FinishedSpan> awaitSpans(Predicate<FinishedSpan> filter, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<FinishedSpan> found = new ArrayList<>();
            for (FinishedSpan span : TRACES.spans()) {
                if (filter.test(span)) {
                    found.add(span);
                }
            }
            if (found.size() >= count) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                List<String> all = new ArrayList<>();
                TRACES.spans().forEach(s -> all.add(s.operationName() + " " + s.resource()));
                throw new AssertionError("expected " + count + " matching spans, have " + all);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
