package dev.traced.compat.shop;

import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.traced.testagent.DecodedSpan.named;
import static dev.traced.testagent.DecodedSpan.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tests every server row runs on the shop war ({@code compat/server-shop/src/main}) deployed on a
 * real server with the plain jar in its {@code WEB-INF/lib}: requests go to the war over HTTP and the
 * traces the test Agent decodes are checked. Here: the server span, {@code @Traced}, a manual span, a
 * {@code ClientBuilder} call to the same war and the callee's span, one trace (the body; the subclass
 * names the test after its server's REST runtime); the client span's ids sent to the callee; the
 * caller's trace continued; an exception mapped by the application; an excluded health check; traces
 * delivered by the final flush at undeploy and at shutdown. The subclass starts and configures its
 * server (the tracer's settings as a user gives them there), redeploys with a one-minute flush, checks
 * the server's logs, and has the tests only its server needs (where the writer runs, for one).
 *
 * @param <S> the server's driver
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
public abstract class ShopOnServerIT<S extends ShopServer> {

    protected static final Duration TRACE_TIMEOUT = Duration.ofSeconds(30);

    /** The war's name: its context root, and the service name the server's settings give the tracer. */
    protected final String app;
    private final String serverName;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger requestIds = new AtomicInteger();
    protected TestAgent agent;
    protected S server;
    protected Path war;

    /** For the server of this name (in the build log's figures and in messages) and the war of this name. */
    protected ShopOnServerIT(String serverName, String app) {
        this.serverName = serverName;
        this.app = app;
    }

    /**
     * A clean server, not started, whose settings send traces to {@link #agent} as service {@link #app}
     * (env {@code it}), ignore {@code /health$}, print each trace to the server log as well as to the
     * Agent ({@code dd.trace.writer=console,agent}) and flush every 0.2 s.
     */
    protected abstract S prepareServer() throws Exception;

    /** Starts {@link #server} (timed for the build log with what else a start needs). */
    protected abstract void startServer() throws Exception;

    /** Undeploys the war and deploys it again with the periodic flush at one minute: only the final flush can deliver. */
    protected abstract void redeployWithAOneMinuteFlush() throws Exception;

    /** Checks the server's logs once the application was undeployed (the tracer logged no failure, ...). */
    protected abstract void assertLogsAfterUndeploy() throws Exception;

    /** Checks the server's logs once the server stopped: nothing to check unless the subclass says so. */
    protected void assertLogsAfterStop() throws Exception {
    }

    @BeforeAll
    void startServerAndDeploy() throws Exception {
        agent = TestAgent.start();
        war = Path.of(property("shop.war"));
        server = prepareServer();
        long start = System.nanoTime();
        startServer();
        long started = System.nanoTime();
        server.deploy(war);
        System.out.printf("%s started in %.1f s, the war deployed in %.1f s%n", serverName,
                (started - start) / 1e9, (System.nanoTime() - started) / 1e9); // for the build log
    }

    @AfterAll
    void stopServer() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
        }
    }

    /**
     * An order is one trace of five spans: the server span, the {@code @Traced} bean's, a manual span,
     * the {@code ClientBuilder} call's client span and the callee's server span, each with its parent.
     * Returns the trace, for the subclass to check more of it.
     */
    protected List<DecodedSpan> assertAnOrderIsOneTraceAcrossTheServerTracedAManualSpanAndTheClientCall()
            throws Exception {
        String id = request("/api/orders/soup", Map.of(), 200, null);

        List<DecodedSpan> trace = awaitTrace(id, 5);
        DecodedSpan root = serverSpan(trace);
        assertEquals("GET /orders/{dish}", root.resource());
        assertEquals(app, root.service());
        assertEquals("web", root.type());
        assertEquals(0, root.error());
        assertEquals("server", root.meta().get("span.kind"));
        assertEquals("/orders/{dish}", root.meta().get("http.route"));
        assertEquals("200", root.meta().get("http.status_code"));
        assertEquals("it", root.meta().get("env"));
        assertTrue(root.meta().get("http.url").endsWith("/" + app + "/api/orders/soup"), root.meta().toString());

        DecodedSpan prepare = named(trace, "kitchen.prepare");
        assertEquals(root.spanId(), prepare.parentId());
        DecodedSpan plate = named(trace, "kitchen.plate");
        assertEquals(prepare.spanId(), plate.parentId());
        assertEquals("soup", plate.meta().get("dish"));

        DecodedSpan client = named(trace, "http.request");
        assertEquals(root.spanId(), client.parentId());
        assertEquals("client", client.meta().get("span.kind"));
        assertEquals("200", client.meta().get("http.status_code"));
        DecodedSpan callee = only(trace, s -> "jax-rs.request".equals(s.name()) && s.parentId() != 0, "the callee's span");
        assertEquals("GET /stock/{dish}", callee.resource());
        assertEquals(client.spanId(), callee.parentId(), "the callee continues the client span");
        assertEquals(5, trace.size(), () -> "one trace of five spans: " + trace);
        assertTrue(trace.stream().allMatch(s -> s.traceId() == root.traceId()));
        assertEquals(List.of(), agent.errors(), "payloads the Agent would reject");
        return trace;
    }

    @Test
    @Order(1)
    void theClientFilterSendsTheClientSpansIdsToTheCallee() throws Exception {
        HttpResponse<String> response = send("/api/orders/salad", Map.of());
        assertEquals(200, response.statusCode(), response.body());
        List<DecodedSpan> trace = awaitTrace(response.request().headers().firstValue("User-Agent").orElseThrow(), 5);
        DecodedSpan client = named(trace, "http.request");
        // The stock resource answers with the x-datadog-* headers it received.
        assertEquals("a plate of salad; 3 salad left (trace " + Long.toUnsignedString(client.traceId())
                + ", parent " + Long.toUnsignedString(client.spanId()) + ")", response.body());
    }

    @Test
    @Order(2)
    void datadogHeadersContinueTheCallersTrace() throws Exception {
        String id = request("/api/orders/soup", Map.of(
                "x-datadog-trace-id", "1234567890123456789",
                "x-datadog-parent-id", "987654321",
                "x-datadog-sampling-priority", "2"), 200, null);

        List<DecodedSpan> trace = awaitTrace(id, 5);
        DecodedSpan root = only(trace, s -> "jax-rs.request".equals(s.name()) && s.parentId() == 987654321L,
                "the server span, a child of the caller's span");
        assertEquals(1234567890123456789L, root.traceId());
        assertEquals(2, root.metrics().get("_sampling_priority_v1").intValue());
        assertTrue(trace.stream().allMatch(s -> s.traceId() == 1234567890123456789L), () -> trace.toString());
    }

    @Test
    @Order(3)
    void anExceptionIsAnErrorAndTheUserGetsTheApplicationsResponse() throws Exception {
        String id = request("/api/orders/anchovy", Map.of(), 503, "sold out: Out of anchovies");

        List<DecodedSpan> trace = awaitTrace(id, 4);
        DecodedSpan root = serverSpan(trace);
        assertEquals(1, root.error());
        assertEquals("503", root.meta().get("http.status_code"));
        // Seen before the application's ExceptionMapper turned it into its response.
        assertEquals("java.lang.IllegalStateException", root.meta().get("error.type"), root.meta().toString());
        DecodedSpan prepare = named(trace, "kitchen.prepare");
        assertEquals(1, prepare.error());
        assertEquals("Out of anchovies", prepare.meta().get("error.message"));
        assertTrue(trace.stream().noneMatch(s -> s.name().equals("kitchen.plate")));
    }

    @Test
    @Order(4)
    void theHealthCheckLeavesNoTrace() throws Exception {
        String health = request("/api/health", Map.of(), 200, "ok");
        // A traced request after it: once its trace is in, the health check's would be too.
        awaitTrace(request("/api/orders/soup", Map.of(), 200, null), 5);

        assertTrue(tracesOf(health).isEmpty(), "the health check was traced");
        assertTrue(agent.spans().stream().noneMatch(s -> String.valueOf(s.resource()).contains("/health")));
    }

    // Order(5): the subclass's, where its server runs the writer.

    @Test
    @Order(6)
    void undeployDeliversWhatIsLeftAndLeavesNoThreadOfOursRunning() throws Exception {
        redeployWithAOneMinuteFlush();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(request("/api/orders/soup", Map.of(), 200, null));
        }
        long undeploy = System.nanoTime();
        server.undeploy(app);
        System.out.printf("undeploy with the final flush: %.1f s%n", (System.nanoTime() - undeploy) / 1e9);
        for (String id : ids) {
            assertEquals(5, tracesOf(id).size(), () -> "trace of " + id + " after undeploy: every span received "
                    + agent.spanSummary());
        }
        // Nothing of ours left running or waiting on a thread: no stack frame of the library.
        List<String> threads = server.threads();
        List<String> ours = threads.stream().filter(t -> t.contains("dev.traced.")).toList();
        assertEquals(List.of(), ours, "threads still in the library after undeploy");
        assertLogsAfterUndeploy();
    }

    @Test
    @Order(7)
    void stoppingTheServerDeliversEveryFinishedTrace() throws Exception {
        server.deploy(war); // still with the one-minute flush interval
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(request("/api/orders/salad", Map.of(), 200, null));
        }
        assertTrue(server.stop(), "the server did not stop; see " + server.serverLog());
        for (String id : ids) {
            assertEquals(5, tracesOf(id).size(), () -> "trace of " + id + " after " + serverName + " stopped");
        }
        assertLogsAfterStop();
        assertEquals(List.of(), agent.errors(), "payloads the Agent would reject");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The first match of the pattern in the server log, waited for up to {@link #TRACE_TIMEOUT}. */
    protected Matcher awaitInLog(Pattern pattern, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TRACE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = pattern.matcher(server.log());
            if (matcher.find()) {
                return matcher;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " in " + server.serverLog());
    }

    /** The threads' names, from {@link ShopServer#threads()}'s entries. */
    protected static List<String> names(List<String> threads) {
        return threads.stream().map(t -> t.substring(1, t.indexOf('"', 1))).toList();
    }

    /** Sends a GET with a unique User-Agent (found again as http.useragent); returns that id. */
    protected String request(String path, Map<String, String> headers, int status, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(path, headers);
        assertEquals(status, response.statusCode(), () -> path + " answered " + response.body());
        if (body != null) {
            assertEquals(body, response.body());
        }
        return response.request().headers().firstValue("User-Agent").orElseThrow();
    }

    protected HttpResponse<String> send(String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        String id = getClass().getSimpleName() + "/" + requestIds.incrementAndGet();
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/" + app + path))
                .timeout(Duration.ofSeconds(30))
                .header("User-Agent", id);
        headers.forEach(builder::header);
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the trace of request {@code id} (its User-Agent) has {@code spans} spans. */
    protected List<DecodedSpan> awaitTrace(String id, int spans) throws InterruptedException {
        return agent.awaitTraceOfRequest(id, spans, TRACE_TIMEOUT, "; see " + server.serverLog());
    }

    /** Every span received so far of request {@code id}'s trace. */
    protected List<DecodedSpan> tracesOf(String id) {
        return agent.traceOfRequest(id);
    }

    /** The trace's root: the server span of the request the test sent. */
    protected static DecodedSpan serverSpan(List<DecodedSpan> trace) {
        return only(trace, s -> "jax-rs.request".equals(s.name()) && s.parentId() == 0, "the server span");
    }



    /** A system property the failsafe configuration sets. */
    protected static String property(String name) {
        String value = System.getProperty(name);
        assertNotNull(value, name + " is set by the failsafe configuration in pom.xml");
        return value;
    }
}
