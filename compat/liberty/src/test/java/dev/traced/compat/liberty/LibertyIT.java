package dev.traced.compat.liberty;

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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain jar in a war's {@code WEB-INF/lib} on a real Open Liberty 26 with Jakarta EE 10's features
 * (cdi-4.0, restfulWS-3.1, restfulWSClient-3.1, concurrent-3.0: RESTEasy + Weld): nothing of ours but
 * the jar and its runtime dependencies, activated by the war's {@code beans.xml}, the tracer configured
 * by the server's {@code jvm.options}. Requests go to the war over HTTP and the traces the test Agent
 * decodes are checked: RESTEasy's server span, {@code @Traced} (on CDI 4.0, whose Interceptors 2.1 has
 * no {@code getInterceptorBindings}), a manual span, a {@code ClientBuilder} call to the same war and
 * the callee's span, one trace; the caller's trace continued; an exception mapped by the application;
 * an excluded health check; the writer on Liberty's managed executor; traces delivered by the final
 * flush at undeploy and at shutdown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class LibertyIT {

    private static final Duration TRACE_TIMEOUT = Duration.ofSeconds(30);
    private static final String APP = "liberty-shop";
    private static final String SERVICE = "liberty-shop";
    /**
     * Liberty runs managed executors' tasks on its one global pool, whose threads have this name (the
     * HTTP requests run there too, so the name alone does not tell the writer from a request).
     */
    private static final String LIBERTY_THREAD = "Default Executor-thread-";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger requestIds = new AtomicInteger();
    private TestAgent agent;
    private LibertyServer server;
    private Path war;

    @BeforeAll
    void startServer() throws Exception {
        agent = TestAgent.start();
        war = Path.of(property("shop.war"));
        server = LibertyServer.prepare(Path.of(property("liberty.home")), Path.of(property("liberty.java.home")),
                jvmOptions("0.2"));
        long start = System.nanoTime();
        server.start();
        long started = System.nanoTime();
        server.deploy(war);
        System.out.printf("Open Liberty started in %.1f s, the war deployed in %.1f s%n",
                (started - start) / 1e9, (System.nanoTime() - started) / 1e9); // for the build log
    }

    /** The tracer's settings, as a user puts them in the server's {@code jvm.options}. */
    private List<String> jvmOptions(String flushInterval) {
        return List.of("-Ddd.trace.agent.url=" + agent.url(),
                "-Ddd.service=" + SERVICE,
                "-Ddd.env=it",
                "-Ddd.trace.resources.ignore=/health$",
                "-Ddd.trace.flush.interval=" + flushInterval,
                // Also to the server log, where Liberty gives the id of the thread that printed each trace.
                "-Ddd.trace.writer=console,agent");
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

    @Test
    @Order(1)
    void anOrderIsOneTraceAcrossRestEasyTracedAManualSpanAndTheClientCall() throws Exception {
        String id = request("/api/orders/soup", Map.of(), 200, null);

        List<DecodedSpan> trace = awaitTrace(id, 5);
        DecodedSpan root = find(trace, s -> "jax-rs.request".equals(s.name()) && s.parentId() == 0, "the server span");
        assertEquals("GET /orders/{dish}", root.resource());
        assertEquals(SERVICE, root.service());
        assertEquals("web", root.type());
        assertEquals(0, root.error());
        assertEquals("server", root.meta().get("span.kind"));
        assertEquals("/orders/{dish}", root.meta().get("http.route"));
        assertEquals("200", root.meta().get("http.status_code"));
        assertEquals("it", root.meta().get("env"));
        assertTrue(root.meta().get("http.url").endsWith("/" + APP + "/api/orders/soup"), root.meta().toString());

        DecodedSpan prepare = span(trace, "kitchen.prepare");
        assertEquals(root.spanId(), prepare.parentId());
        // Read from the method's @Traced: CDI 4.0 has no InvocationContext.getInterceptorBindings.
        assertEquals("kitchen.prepare", prepare.resource());
        assertEquals(SERVICE, prepare.service());
        DecodedSpan plate = span(trace, "kitchen.plate");
        assertEquals(prepare.spanId(), plate.parentId());
        assertEquals("soup", plate.meta().get("dish"));

        DecodedSpan client = span(trace, "http.request");
        assertEquals(root.spanId(), client.parentId());
        assertEquals("client", client.meta().get("span.kind"));
        assertEquals("200", client.meta().get("http.status_code"));
        DecodedSpan callee = find(trace, s -> "jax-rs.request".equals(s.name()) && s.parentId() != 0, "the callee's span");
        assertEquals("GET /stock/{dish}", callee.resource());
        assertEquals(client.spanId(), callee.parentId(), "the callee continues the client span");
        assertEquals(5, trace.size(), () -> "one trace of five spans: " + trace);
        assertTrue(trace.stream().allMatch(s -> s.traceId() == root.traceId()));
        assertEquals(List.of(), agent.errors(), "payloads the Agent would reject");
    }

    @Test
    @Order(1)
    void theClientFilterSendsTheClientSpansIdsToTheCallee() throws Exception {
        HttpResponse<String> response = send("/api/orders/salad", Map.of());
        assertEquals(200, response.statusCode(), response.body());
        List<DecodedSpan> trace = awaitTrace(response.request().headers().firstValue("User-Agent").orElseThrow(), 5);
        DecodedSpan client = span(trace, "http.request");
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
        DecodedSpan root = find(trace, s -> "jax-rs.request".equals(s.name()) && s.parentId() == 987654321L,
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
        DecodedSpan root = find(trace, s -> "jax-rs.request".equals(s.name()) && s.parentId() == 0, "the server span");
        assertEquals(1, root.error());
        assertEquals("503", root.meta().get("http.status_code"));
        // Seen before the application's ExceptionMapper turned it into its response.
        assertEquals("java.lang.IllegalStateException", root.meta().get("error.type"), root.meta().toString());
        DecodedSpan prepare = span(trace, "kitchen.prepare");
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

    @Test
    @Order(5)
    void theWriterRunsOnLibertysManagedExecutorNotOnRequestThreads() throws Exception {
        String id = request("/api/orders/soup", Map.of(), 200, null);
        List<DecodedSpan> trace = awaitTrace(id, 5);
        DecodedSpan root = find(trace, s -> "jax-rs.request".equals(s.name()) && s.parentId() == 0, "the server span");
        String requestThread = root.meta().get("thread.name");
        assertNotNull(requestThread, root.meta().toString());
        long requestThreadId = root.metrics().get("thread.id").longValue();

        // The console writer printed the same trace: Liberty's log gives the id of the thread that did.
        String hex = String.format("%016x", root.traceId());
        long printer = threadThatPrinted(hex);
        assertNotEquals(requestThreadId, printer, "the trace was printed on the request's thread " + requestThread);
        // That thread is one of Liberty's pool, where its managed executors run their tasks; the library
        // started no thread of its own (traced-writer, traced-sender), its only other place to write from.
        List<String> threads = server.threads();
        String thread = threads.stream().filter(t -> t.contains("\" #" + printer + " ")).findFirst()
                .map(t -> t.substring(1, t.indexOf('"', 1)))
                .orElseThrow(() -> new AssertionError("no thread #" + printer + " in " + names(threads)));
        assertTrue(thread.startsWith(LIBERTY_THREAD), "the trace was written from " + thread);
        assertTrue(threads.stream().noneMatch(t -> t.startsWith("\"traced-")), () -> names(threads).toString());
    }

    @Test
    @Order(6)
    void undeployDeliversWhatIsLeftAndLeavesNoThreadOfOursRunning() throws Exception {
        // Restarted with a one-minute periodic flush (jvm.options is read at start): only the final flush can deliver.
        server.undeploy(APP);
        assertTrue(server.stop(), "the server did not stop; see " + server.serverLog());
        server.jvmOptions(jvmOptions("60"));
        server.start();
        server.deploy(war);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(request("/api/orders/soup", Map.of(), 200, null));
        }
        long undeploy = System.nanoTime();
        server.undeploy(APP);
        System.out.printf("undeploy with the final flush: %.1f s%n", (System.nanoTime() - undeploy) / 1e9);
        for (String id : ids) {
            assertEquals(5, tracesOf(id).size(), () -> "trace of " + id + " after undeploy: every span received "
                    + agent.spanSummary());
        }
        // Nothing of ours left running or waiting on a thread: no stack frame of the library.
        List<String> threads = server.threads();
        List<String> ours = threads.stream().filter(t -> t.contains("dev.traced.")).toList();
        assertEquals(List.of(), ours, "threads still in the library after undeploy");
        assertNoWarnings();
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
            assertEquals(5, tracesOf(id).size(), () -> "trace of " + id + " after server stop");
        }
        assertNoWarnings();
        assertEquals(List.of(), agent.errors(), "payloads the Agent would reject");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * No warning or error in the server's logs since the first start (a class-loading problem, a leak,
     * a failed injection) but RESTEasy's documented one (docs/troubleshooting.md): it finds each filter
     * both in {@code META-INF/services} and by scanning the war for {@code @Provider}, and ignores the
     * second.
     */
    private void assertNoWarnings() throws IOException {
        String log = server.allLogs();
        assertFalse(log.contains("[traced] could not"), "the tracer logged a failure; see " + server.serverLog());
        List<String> problems = log.lines()
                .filter(l -> l.matches("^\\[[^]]+\\] [0-9a-f]{8} \\S+\\s+[WE] .*"))
                .filter(l -> !l.matches(".* W RESTEASY002155: Provider class dev\\.traced\\.internal\\.jaxrs\\."
                        + "(Server|Client)TracingFilter is already registered\\.  2nd registration is being ignored\\."))
                .toList();
        assertEquals(List.of(), problems, "warnings or errors in " + server.serverLog());
    }

    /**
     * The id of the thread that printed the console writer's trace with these low 64 bits (hex): Liberty's
     * log line for {@code System.out} is {@code [time] <thread id, hex> SystemOut O <text>}.
     */
    private long threadThatPrinted(String lowHex) throws InterruptedException {
        Pattern record = Pattern.compile("\\] ([0-9a-f]{8}) SystemOut\\s+O \\[traced\\] trace [0-9a-f]{16}" + lowHex);
        long deadline = System.nanoTime() + TRACE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = record.matcher(server.log());
            if (matcher.find()) {
                return Long.parseLong(matcher.group(1), 16);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no console print of trace " + lowHex + " in " + server.serverLog());
    }

    private static List<String> names(List<String> threads) {
        return threads.stream().map(t -> t.substring(1, t.indexOf('"', 1))).toList();
    }

    /** Sends a GET with a unique User-Agent (found again as http.useragent); returns that id. */
    private String request(String path, Map<String, String> headers, int status, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(path, headers);
        assertEquals(status, response.statusCode(), () -> path + " answered " + response.body());
        if (body != null) {
            assertEquals(body, response.body());
        }
        return response.request().headers().firstValue("User-Agent").orElseThrow();
    }

    private HttpResponse<String> send(String path, Map<String, String> headers) throws IOException, InterruptedException {
        String id = "liberty-it/" + requestIds.incrementAndGet();
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/" + APP + path))
                .timeout(Duration.ofSeconds(30))
                .header("User-Agent", id);
        headers.forEach(builder::header);
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the trace of request {@code id} (its User-Agent) has {@code spans} spans. */
    private List<DecodedSpan> awaitTrace(String id, int spans) throws InterruptedException {
        return agent.awaitTraceOfRequest(id, spans, TRACE_TIMEOUT, "; see " + server.serverLog());
    }

    /** Every span received so far of request {@code id}'s trace. */
    private List<DecodedSpan> tracesOf(String id) {
        return agent.traceOfRequest(id);
    }

    private static DecodedSpan span(List<DecodedSpan> trace, String name) {
        return find(trace, s -> name.equals(s.name()), name);
    }

    private static DecodedSpan find(List<DecodedSpan> trace, Predicate<DecodedSpan> which, String what) {
        List<DecodedSpan> found = trace.stream().filter(which).toList();
        assertEquals(1, found.size(), () -> "expected one " + what + " in " + trace);
        return found.get(0);
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertNotNull(value, name + " is set by the failsafe configuration in pom.xml");
        return value;
    }
}
