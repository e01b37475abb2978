package dev.traced.compat.glassfish;

import dev.traced.compat.shop.ShopOnServerIT;
import dev.traced.testagent.DecodedSpan;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain jar in a war's {@code WEB-INF/lib} on a real GlassFish 8 (Jersey + Weld): nothing of
 * ours but the jar and its runtime dependencies, activated by the war's {@code beans.xml}, the tracer
 * configured by JVM options of the server. The tests every server row runs ({@link ShopOnServerIT}),
 * with Jersey's server span; and here the writer on GlassFish's managed executor, and no thread-local
 * value of the war's classes left on GlassFish's threads at undeploy.
 */
class GlassFishIT extends ShopOnServerIT<GlassFishServer> {

    /** GlassFish's default managed scheduled executor's threads, as its log names them. */
    private static final String MANAGED_THREAD = "concurrent/__defaultManagedScheduledExecutorService";

    GlassFishIT() {
        super("GlassFish", "glassfish-shop");
    }

    @Override
    protected GlassFishServer prepareServer() throws Exception {
        return GlassFishServer.prepare(Path.of(property("glassfish.home")), Path.of(property("glassfish.java.home")),
                List.of("-Ddd.trace.agent.url=" + agent.url(),
                        "-Ddd.service=" + app,
                        "-Ddd.env=it",
                        "-Ddd.trace.resources.ignore=/health$",
                        // Also to the server log, where GlassFish names the thread that printed each trace.
                        "-Ddd.trace.writer=console,agent"));
    }

    @Override
    protected void startServer() throws Exception {
        server.start();
        // A server system property (not a JVM option), so that a test can change it for the next deployment.
        server.systemProperty("dd.trace.flush.interval", "0.2");
    }

    @Override
    protected void redeployWithAOneMinuteFlush() throws Exception {
        server.systemProperty("dd.trace.flush.interval", "60");
        server.undeploy(app);
        server.deploy(war);
    }

    @Override
    protected void assertLogsAfterUndeploy() {
        assertFalse(server.log().contains("[traced] could not"), "the tracer logged a failure; see " + server.serverLog());
        // GlassFish checks every thread at undeploy for thread-local values of the application's classes
        // (a SEVERE line each): the tracer let go of its own when it closed.
        assertFalse(server.log().contains("The web application [/" + app + "] created a ThreadLocal"),
                "a thread-local value of the war's classes was left on a server thread; see " + server.serverLog());
    }

    @Test
    @Order(1)
    void anOrderIsOneTraceAcrossJerseyTracedAManualSpanAndTheClientCall() throws Exception {
        assertAnOrderIsOneTraceAcrossTheServerTracedAManualSpanAndTheClientCall();
    }

    @Test
    @Order(5)
    void theWriterRunsOnGlassFishsManagedExecutorNotOnRequestThreads() throws Exception {
        String id = request("/api/orders/soup", Map.of(), 200, null);
        DecodedSpan root = serverSpan(awaitTrace(id, 5));
        String requestThread = root.meta().get("thread.name");
        assertNotNull(requestThread, root.meta().toString());

        // The console writer printed the same trace: GlassFish's log says from which thread.
        String hex = String.format("%016x", root.traceId());
        String thread = threadThatPrinted(hex);
        assertTrue(thread.startsWith(MANAGED_THREAD), "the trace was written from " + thread);
        assertNotEquals(requestThread, thread);
        // And the library started no thread of its own (traced-writer, traced-sender).
        List<String> threads = server.threads();
        assertTrue(threads.stream().noneMatch(t -> t.startsWith("\"traced-")), () -> names(threads).toString());
    }

    /** The thread GlassFish's log names for the console writer's print of the trace with these low 64 bits (hex). */
    private String threadThatPrinted(String lowHex) throws InterruptedException {
        Pattern record = Pattern.compile("_ThreadName=([^\\]]+)\\][^\\n]*\\n\\s*\\[traced\\] trace [0-9a-f]{16}" + lowHex);
        return awaitInLog(record, "console print of trace " + lowHex).group(1);
    }
}
