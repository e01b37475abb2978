package dev.traced.wildfly;

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

import static dev.traced.testagent.DecodedSpan.named;
import static dev.traced.testagent.DecodedSpan.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dev.traced module on a real WildFly: the example war (which only has {@code @Traced},
 * {@code @Inject Tracer} and the module dependency in {@code jboss-deployment-structure.xml}) is
 * deployed, requests go to it over HTTP, and the traces the test Agent decodes are checked. Two
 * variants of the war use the module the two other documented ways (a {@code MANIFEST.MF} line, the
 * global module) next to it, each with its own tracer. Then the war is redeployed (no thread or
 * class-loader leak), and traces are delivered at undeploy and shutdown by the final flush alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class SandwichShopIT {

    private static final Duration TRACE_TIMEOUT = Duration.ofSeconds(30);
    private static final String WAR = "wildfly-sandwich.war";
    private static final String SERVICE = "sandwich-shop";
    private static final String SECOND_WAR = "sandwich-manifest.war";
    private static final String GLOBAL_WAR = "sandwich-global.war";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger requestIds = new AtomicInteger();
    private TestAgent agent;
    private WildFlyServer server;
    private Path war;

    @BeforeAll
    void startServer() throws Exception {
        agent = TestAgent.start();
        Path home = Path.of(property("wildfly.home"));
        war = Path.of(property("example.war"));
        server = WildFlyServer.prepare(home, Path.of(property("module.zip")),
                home.getParent().resolve("server-console.log"));
        server.start(Map.of(
                "dd.trace.agent.url", agent.url(),
                "dd.trace.flush.interval", "0.2",
                "dd.env", "it"));
        server.deploy(war);
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
    void aRequestIsOneTraceWithTheServerSpanAndTheTracedBeanSpans() throws Exception {
        String id = request("/sandwiches/blt", Map.of(), 200, "bread+bacon+lettuce+tomato");

        List<DecodedSpan> trace = awaitTrace(id, 4);
        DecodedSpan root = serverSpan(trace);
        assertEquals("jax-rs.request", root.name());
        assertEquals("GET /sandwiches/{kind}", root.resource());
        assertEquals(SERVICE, root.service());
        assertEquals("web", root.type());
        assertEquals(0, root.error());
        assertEquals(0, root.parentId());
        assertEquals("server", root.meta().get("span.kind"));
        assertEquals("GET", root.meta().get("http.method"));
        assertEquals("/sandwiches/{kind}", root.meta().get("http.route"));
        assertEquals("200", root.meta().get("http.status_code"));
        assertEquals("it", root.meta().get("env"));
        assertTrue(root.meta().get("http.url").endsWith("/wildfly-sandwich/sandwiches/blt"), root.meta().toString());

        DecodedSpan make = named(trace, "sandwich.make");
        assertEquals(root.spanId(), make.parentId());
        assertEquals(SERVICE, make.service());
        assertEquals(4, make.metrics().get("num_ingredients").intValue());

        DecodedSpan ingredients = named(trace, "Kitchen.getIngredients");
        assertEquals(make.spanId(), ingredients.parentId());
        assertEquals("my-sandwich-making-svc", ingredients.service());
        assertEquals("resource_name", ingredients.resource());
        assertEquals(0, ingredients.error());

        DecodedSpan assemble = named(trace, "assemble_sandwich");
        assertEquals(make.spanId(), assemble.parentId());
        assertEquals("my-sandwich-making-svc", assemble.service());
        assertTrue(trace.stream().allMatch(s -> s.traceId() == root.traceId()));
        assertEquals(List.of(), agent.errors(), "payloads the Agent would reject");
    }

    @Test
    @Order(1)
    void theReadmeFirstScreenSendsItsTraceToTheAgent() throws Exception {
        // README, "WildFly": the Greeter and HelloResource classes, the module imported by
        // jboss-deployment-structure.xml, dd.trace.agent.url as a server system property.
        String id = request("/hello", Map.of(), 200, "Hello, world");

        List<DecodedSpan> trace = awaitTrace(id, 2);
        DecodedSpan root = serverSpan(trace);
        assertEquals("GET /hello", root.resource());
        DecodedSpan greet = named(trace, "Greeter.greet");
        assertEquals(root.spanId(), greet.parentId());
        assertEquals(SERVICE, greet.service());
        assertEquals(List.of(), agent.errors());
    }

    @Test
    @Order(1)
    void tracedWorkOnTheManagedExecutorJoinsTheRequestsTrace() throws Exception {
        String id = request("/toaster/cheese", Map.of(), 200, "toasted bread+cheese");

        List<DecodedSpan> trace = awaitTrace(id, 3);
        DecodedSpan root = serverSpan(trace);
        assertEquals("GET /toaster/{kind}", root.resource());
        DecodedSpan ingredients = named(trace, "Kitchen.getIngredients");
        DecodedSpan assemble = named(trace, "assemble_sandwich");
        assertEquals(root.spanId(), ingredients.parentId(), "the span crossed onto the managed thread");
        assertEquals(root.spanId(), assemble.parentId());
        assertTrue(!ingredients.meta().get("thread.name").equals(root.meta().get("thread.name")),
                "the steps ran on the executor's thread: " + ingredients.meta().get("thread.name"));
        assertEquals(List.of(), agent.errors());
    }

    @Test
    @Order(2)
    void theServersLogFormatShowsTheIdsOfTheSpanALineIsLoggedIn() throws Exception {
        // WildFly's console format, with the correlation keys added as a user would add them.
        server.cli("/subsystem=logging/pattern-formatter=COLOR-PATTERN:write-attribute(name=pattern,"
                + "value=\"%d{HH:mm:ss,SSS} %-5p [%c] (%t) [dd.trace_id=%X{dd.trace_id} dd.span_id=%X{dd.span_id}"
                + " dd.service=%X{dd.service}] %s%e%n\")");
        String id = request("/sandwiches/blt", Map.of(), 200, "bread+bacon+lettuce+tomato");
        List<DecodedSpan> trace = awaitTrace(id, 4);
        DecodedSpan make = named(trace, "sandwich.make");
        String high = trace.stream().map(s -> s.meta().get("_dd.p.tid")).filter(t -> t != null).findFirst()
                .orElseThrow(() -> new AssertionError("no _dd.p.tid in " + trace));
        String traceId = high + String.format("%016x", make.traceId());
        String line = "[dd.trace_id=" + traceId + " dd.span_id=" + Long.toUnsignedString(make.spanId())
                + " dd.service=" + SERVICE + "] making a blt sandwich";
        assertTrue(awaitLog(line), "no line " + line + " in the server's console log");
        assertEquals(1, server.log().lines().filter(l -> l.contains(line)).count(), "one request, one line");
    }

    private boolean awaitLog(String text) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (server.logContains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    @Order(2)
    void anExceptionInATracedBeanMarksItsSpanAndTheServerSpanAsErrors() throws Exception {
        String id = request("/sandwiches/anchovy", Map.of(), 500, null);

        List<DecodedSpan> trace = awaitTrace(id, 3);
        DecodedSpan root = serverSpan(trace);
        assertEquals(1, root.error());
        assertEquals("500", root.meta().get("http.status_code"));
        assertEquals("GET /sandwiches/{kind}", root.resource());
        // Only the resource interceptor sees the exception itself: its binding works on WildFly.
        assertEquals("java.lang.IllegalStateException", root.meta().get("error.type"), root.meta().toString());

        DecodedSpan ingredients = named(trace, "Kitchen.getIngredients");
        assertEquals(1, ingredients.error());
        assertEquals("java.lang.IllegalStateException", ingredients.meta().get("error.type"));
        assertEquals("Out of anchovies", ingredients.meta().get("error.message"));
        assertTrue(ingredients.meta().get("error.stack").contains("Kitchen.getIngredients"));
        assertEquals(1, named(trace, "sandwich.make").error());
        assertTrue(trace.stream().noneMatch(s -> s.name().equals("assemble_sandwich")));
    }

    @Test
    @Order(3)
    void datadogHeadersContinueTheCallersTrace() throws Exception {
        String id = request("/sandwiches/cheese", Map.of(
                "x-datadog-trace-id", "1234567890123456789",
                "x-datadog-parent-id", "987654321",
                "x-datadog-sampling-priority", "2",
                "x-datadog-origin", "synthetics"), 200, "bread+cheese");

        List<DecodedSpan> trace = awaitTrace(id, 4);
        DecodedSpan root = serverSpan(trace);
        assertEquals(1234567890123456789L, root.traceId());
        assertEquals(987654321L, root.parentId());
        assertEquals(2, root.metrics().get("_sampling_priority_v1").intValue());
        assertEquals("synthetics", root.meta().get("_dd.origin"));
        assertTrue(trace.stream().allMatch(s -> s.traceId() == 1234567890123456789L));
    }

    @Test
    @Order(4)
    void w3cTraceContextContinuesTheCallersTrace() throws Exception {
        String id = request("/sandwiches/cheese", Map.of(
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "tracestate", "dd=s:1;t.dm:-4,congo=t61rcWkgMzE"), 200, "bread+cheese");

        List<DecodedSpan> trace = awaitTrace(id, 4);
        DecodedSpan root = serverSpan(trace);
        assertEquals(Long.parseUnsignedLong("8448eb211c80319c", 16), root.traceId());
        assertEquals(Long.parseUnsignedLong("b7ad6b7169203331", 16), root.parentId());
        // The upper 64 bits travel as a trace tag, which Datadog writes on the first span of a chunk.
        assertTrue(trace.stream().anyMatch(s -> "0af7651916cd43dd".equals(s.meta().get("_dd.p.tid"))),
                () -> "no _dd.p.tid in " + trace);
        assertEquals(1, root.metrics().get("_sampling_priority_v1").intValue());
    }

    @Test
    @Order(5)
    void theHealthCheckLeavesNoTrace() throws Exception {
        String health = request("/health", Map.of(), 200, "ok");
        // A traced request after it: once its trace is in, the health check's would be too.
        String after = request("/sandwiches/cheese", Map.of(), 200, "bread+cheese");
        awaitTrace(after, 4);

        assertTrue(tracesOf(health).isEmpty(), "the health check was traced");
        assertTrue(agent.spans().stream().noneMatch(s -> String.valueOf(s.resource()).contains("/health")));
    }

    @Test
    @Order(6)
    void eachDeploymentTracesWithItsOwnTracerThroughTheSharedModule() throws Exception {
        // The same shop, but depending on the module through its MANIFEST.MF, with its own service name.
        Path manifestWar = war.resolveSibling(SECOND_WAR);
        ExampleWars.withManifestDependency(war, manifestWar, "sandwich-shop-manifest");
        server.deploy(manifestWar);
        try {
            String second = request("/" + SECOND_WAR.replace(".war", ""), "/sandwiches/blt", Map.of(), 200,
                    "bread+bacon+lettuce+tomato");
            String first = request("/sandwiches/blt", Map.of(), 200, "bread+bacon+lettuce+tomato");

            List<DecodedSpan> secondTrace = awaitTrace(second, 4);
            assertEquals("sandwich-shop-manifest", serverSpan(secondTrace).service());
            assertEquals("sandwich-shop-manifest", named(secondTrace, "sandwich.make").service());
            assertEquals(serverSpan(secondTrace).spanId(), named(secondTrace, "sandwich.make").parentId());
            List<DecodedSpan> firstTrace = awaitTrace(first, 4);
            assertEquals(SERVICE, serverSpan(firstTrace).service());
            assertEquals(serverSpan(firstTrace).spanId(), named(firstTrace, "sandwich.make").parentId());
        } finally {
            server.undeploy(SECOND_WAR);
        }
    }

    @Test
    @Order(7)
    void aGlobalModuleServesADeploymentThatDeclaresNothing() throws Exception {
        // The third documented way: the ee subsystem adds the module to every deployment.
        Path plainWar = war.resolveSibling(GLOBAL_WAR);
        ExampleWars.withoutDependency(war, plainWar, "sandwich-shop-global");
        server.cli("/subsystem=ee:list-add(name=global-modules,value={name=dev.traced,meta-inf=true,"
                + "services=true,annotations=true})");
        try {
            server.deploy(plainWar);
            String id = request("/" + GLOBAL_WAR.replace(".war", ""), "/sandwiches/cheese", Map.of(), 200,
                    "bread+cheese");
            List<DecodedSpan> trace = awaitTrace(id, 4);
            assertEquals("sandwich-shop-global", serverSpan(trace).service());
            assertEquals(serverSpan(trace).spanId(), named(trace, "sandwich.make").parentId());
            assertEquals("my-sandwich-making-svc", named(trace, "assemble_sandwich").service());
        } finally {
            server.undeploy(GLOBAL_WAR);
            server.cli("/subsystem=ee:undefine-attribute(name=global-modules)");
        }
    }

    @Test
    @Order(8)
    void redeployingLeavesNoThreadOrClassLoaderBehind() throws Exception {
        // Baseline: the server just after an undeploy, with nothing of ours deployed.
        server.undeploy(WAR);
        int baseline = settledThreadCount(Integer.MAX_VALUE);
        Map<String, Long> baselinePools = pools(server.threadNames());
        List<Integer> threads = new ArrayList<>();
        List<Integer> loaders = new ArrayList<>();
        for (int cycle = 0; cycle < 3; cycle++) {
            server.deploy(war);
            awaitTrace(request("/sandwiches/blt", Map.of(), 200, "bread+bacon+lettuce+tomato"), 4);
            awaitTrace(request("/sandwiches/anchovy", Map.of(), 500, null), 3);
            assertTrue(tracesOf(request("/health", Map.of(), 200, "ok")).isEmpty());
            List<String> running = server.threadNames();
            assertTrue(running.stream().noneMatch(name -> name.startsWith("traced-writer")),
                    "the writer must run on the managed executor, not its own thread: " + running);
            server.undeploy(WAR);
            loaders.add(server.liveClassLoaders(WAR));
            threads.add(threadCount());
        }
        // The same state as the baseline: a thread leaked per deployment would show as +3. What the JDK
        // ends once unreachable objects are collected (an HTTP client's selector thread) goes within
        // seconds of a GC; the container's pools may vary by one or two.
        int settled = settledThreadCount(baseline + 2);
        List<String> names = server.threadNames();
        // WildFly keeps the last undeployed class loader or two a while, one more now and then; a loader
        // leaked by each redeploy would be two more after the first of three.
        int settledLoaders = server.liveClassLoaders(WAR);
        String report = "threads: baseline " + baseline + " " + baselinePools + ", after each redeploy "
                + threads + ", settled " + settled + " " + pools(names) + "; deployment class loaders after"
                + " each redeploy " + loaders + ", settled " + settledLoaders;
        System.out.println(report); // the figures, for the build log
        assertTrue(settled <= baseline + 2, report);
        assertTrue(settledLoaders <= loaders.get(0) + 1, report);
        server.deploy(war);
    }

    /** The server's thread count after GCs, once it is at most {@code target} or after 20 s. */
    private int settledThreadCount(int target) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        server.liveClassLoaders(WAR); // runs the GC
        Thread.sleep(4000); // the JDK HTTP client's selector thread notices it is unreachable within 3 s
        int count = threadCount();
        while (count > target && System.nanoTime() < deadline) {
            server.liveClassLoaders(WAR);
            Thread.sleep(1000);
            count = threadCount();
        }
        return count;
    }

    /**
     * The server's threads, less WildFly's "ServerService Thread Pool": that pool grows to dozens of
     * threads while the server boots and deploys and shrinks back only after a minute idle.
     */
    private int threadCount() throws Exception {
        return (int) server.threadNames().stream()
                .filter(name -> !name.startsWith("ServerService Thread Pool"))
                .count();
    }

    /** Thread counts by pool: names without their numbers. */
    private static Map<String, Long> pools(List<String> names) {
        return names.stream().collect(java.util.stream.Collectors.groupingBy(
                name -> name.replaceAll("\\d+", "#"), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    @Test
    @Order(9)
    void undeployAndShutdownDeliverEveryFinishedTrace() throws Exception {
        // From now on the periodic flush would wait a minute: only the final flushes can deliver.
        server.cli("/system-property=dd.trace.flush.interval:add(value=60)");
        server.undeploy(WAR);
        server.deploy(war);
        String beforeUndeploy = request("/sandwiches/blt", Map.of(), 200, "bread+bacon+lettuce+tomato");
        server.undeploy(WAR);
        assertEquals(4, awaitTrace(beforeUndeploy, 4).size());

        server.deploy(war);
        List<String> beforeShutdown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            beforeShutdown.add(request("/sandwiches/cheese", Map.of(), 200, "bread+cheese"));
        }
        // SIGTERM, as systemd or a container runtime stops it (jboss-cli :shutdown does the same work).
        assertTrue(server.terminate(), "the server did not stop; see its log");
        for (String id : beforeShutdown) {
            assertEquals(4, tracesOf(id).size(), "trace of request " + id + " after shutdown");
        }
        assertFalse(server.logContains("ERROR [dev.traced"), "the tracer logged an error");
        assertEquals(List.of(), agent.errors(), "payloads the Agent would reject");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Sends a GET with a unique User-Agent (found again as http.useragent); returns that id. */
    private String request(String path, Map<String, String> headers, int status, String body)
            throws IOException, InterruptedException {
        return request("/wildfly-sandwich", path, headers, status, body);
    }

    private String request(String contextRoot, String path, Map<String, String> headers, int status, String body)
            throws IOException, InterruptedException {
        String id = "sandwich-it/" + requestIds.incrementAndGet();
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + contextRoot + path))
                .timeout(Duration.ofSeconds(30))
                .header("User-Agent", id);
        headers.forEach(builder::header);
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), () -> path + " answered " + response.body());
        if (body != null) {
            assertEquals(body, response.body());
        }
        return id;
    }

    /** Waits until the trace of request {@code id} (its User-Agent) has {@code spans} spans. */
    private List<DecodedSpan> awaitTrace(String id, int spans) throws InterruptedException {
        return agent.awaitTraceOfRequest(id, spans, TRACE_TIMEOUT, "");
    }

    /** Every span received so far of request {@code id}'s trace. */
    private List<DecodedSpan> tracesOf(String id) {
        return agent.traceOfRequest(id);
    }

    private static DecodedSpan serverSpan(List<DecodedSpan> trace) {
        return only(trace, s -> "jax-rs.request".equals(s.name()), "the server span");
    }



    private static String property(String name) {
        String value = System.getProperty(name);
        assertNotNull(value, name + " is set by the failsafe configuration in pom.xml");
        return value;
    }
}
