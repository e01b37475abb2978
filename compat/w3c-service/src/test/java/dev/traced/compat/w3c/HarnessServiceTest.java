package dev.traced.compat.w3c;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service does what the W3C harness expects of it (forwards each action to its URL, and traced's
 * filters carry the context), checked the harness' way over real sockets: a request with trace
 * headers, a callback receiver that records what arrives. The cases are those where Level 2 differs
 * from the Level 1 rules the harness' {@code test.py} still applies (README.md).
 */
@Timeout(60)
class HarnessServiceTest {

    private static final String TRACE_ID = "12345678901234567890123456789012";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-1234567890123456-01";

    private static HarnessService service;
    private static HttpServer receiver;
    private static final Map<String, Map<String, String>> CALLBACKS = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws IOException {
        System.setProperty("dd.service", "w3c-harness-service");
        System.setProperty("dd.trace.writer", "none");
        service = HarnessService.start(0);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
            exchange.getRequestBody().readAllBytes();
            CALLBACKS.put(exchange.getRequestURI().getPath(), headers);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (service != null) {
            service.close();
        }
    }

    /** Sends one harness request with {@code headers} (name, value, ...); returns the headers of its callback. */
    private static Map<String, String> callback(String... headers) throws Exception {
        String path = "/callback/" + IDS.incrementAndGet();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(service.endpoint())
                .POST(HttpRequest.BodyPublishers.ofString("[{\"url\": \"" + url + "\", \"arguments\": []}]"))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        Map<String, String> received = CALLBACKS.get(path);
        assertNotNull(received, "the service made no callback");
        return received;
    }

    @Test
    void aTraceparentIsContinuedWithANewParent() throws Exception {
        String traceparent = callback("traceparent", TRACEPARENT).get("traceparent");
        assertTrue(traceparent.startsWith("00-" + TRACE_ID + "-"), traceparent);
        assertNotEquals("1234567890123456", traceparent.substring(36, 52));
        assertTrue(traceparent.endsWith("-01"), "the random flag stays unset when the caller did not set it: " + traceparent);
    }

    @Test
    void theRandomFlagIsKeptAndSetOnNewTraces() throws Exception {
        assertTrue(callback("traceparent", "00-" + TRACE_ID + "-1234567890123456-03").get("traceparent").endsWith("-03"));
        assertTrue(callback("traceparent", "00-" + TRACE_ID + "-1234567890123456-02").get("traceparent").endsWith("-02"));
        String started = callback().get("traceparent");
        assertTrue(started.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-03"), started);
        assertNotEquals(TRACE_ID, started.substring(3, 35));
    }

    @Test
    void level2KeysArePassedOnAfterTheDatadogMember() throws Exception {
        String key244 = "t".repeat(242) + "@v";
        String tracestate = callback("traceparent", TRACEPARENT, "tracestate", "foo@=1," + key244 + "=2,bar=3")
                .get("tracestate");
        assertTrue(tracestate.startsWith("dd="), tracestate);
        assertTrue(tracestate.endsWith(",foo@=1," + key244 + "=2,bar=3"), tracestate);
    }

    @Test
    void aRepeatedKeyKeepsItsFirstMemberAndTheRestOfTheList() throws Exception {
        String tracestate = callback("traceparent", TRACEPARENT, "tracestate", "foo=1,bar=2,foo=3").get("tracestate");
        assertTrue(tracestate.startsWith("dd="), tracestate);
        assertTrue(tracestate.endsWith(",foo=1,bar=2"), tracestate);
    }

    @Test
    void anInvalidListIsDiscardedWholeAndTheTraceparentStillUsed() throws Exception {
        Map<String, String> headers = callback("traceparent", TRACEPARENT, "tracestate", "@foo=1,bar=2");
        assertTrue(headers.get("traceparent").startsWith("00-" + TRACE_ID + "-"), headers.get("traceparent"));
        String tracestate = headers.get("tracestate");
        assertTrue(tracestate.startsWith("dd=") && !tracestate.contains(","), tracestate);
    }
}
