package dev.traced.compat.liberty;

import dev.traced.compat.shop.ShopOnServerIT;
import dev.traced.testagent.DecodedSpan;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.traced.testagent.DecodedSpan.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain jar in a war's {@code WEB-INF/lib} on a real Open Liberty 26 with Jakarta EE 10's features
 * (cdi-4.0, restfulWS-3.1, restfulWSClient-3.1, concurrent-3.0: RESTEasy + Weld): nothing of ours but
 * the jar and its runtime dependencies, activated by the war's {@code beans.xml}, the tracer configured
 * by the server's {@code jvm.options}. The tests every server row runs ({@link ShopOnServerIT}), with
 * RESTEasy's server span and {@code @Traced} on CDI 4.0 (whose Interceptors 2.1 has no {@code
 * getInterceptorBindings}); and here the writer on Liberty's managed executor, and no warning in any of
 * the server's logs.
 */
class LibertyIT extends ShopOnServerIT<LibertyServer> {

    /**
     * Liberty runs managed executors' tasks on its one global pool, whose threads have this name (the
     * HTTP requests run there too, so the name alone does not tell the writer from a request).
     */
    private static final String LIBERTY_THREAD = "Default Executor-thread-";

    LibertyIT() {
        super("Open Liberty", "liberty-shop");
    }

    @Override
    protected LibertyServer prepareServer() throws Exception {
        return LibertyServer.prepare(Path.of(property("liberty.home")), Path.of(property("liberty.java.home")),
                jvmOptions("0.2"));
    }

    /** The tracer's settings, as a user puts them in the server's {@code jvm.options}. */
    private List<String> jvmOptions(String flushInterval) {
        return List.of("-Ddd.trace.agent.url=" + agent.url(),
                "-Ddd.service=" + app,
                "-Ddd.env=it",
                "-Ddd.trace.resources.ignore=/health$",
                "-Ddd.trace.flush.interval=" + flushInterval,
                // Also to the server log, where Liberty gives the id of the thread that printed each trace.
                "-Ddd.trace.writer=console,agent");
    }

    @Override
    protected void startServer() throws Exception {
        server.start();
    }

    /** Restarted with a one-minute periodic flush: {@code jvm.options} is read at start. */
    @Override
    protected void redeployWithAOneMinuteFlush() throws Exception {
        server.undeploy(app);
        assertTrue(server.stop(), "the server did not stop; see " + server.serverLog());
        server.jvmOptions(jvmOptions("60"));
        server.start();
        server.deploy(war);
    }

    @Override
    protected void assertLogsAfterUndeploy() throws IOException {
        assertNoWarnings();
    }

    @Override
    protected void assertLogsAfterStop() throws IOException {
        assertNoWarnings();
    }

    @Test
    @Order(1)
    void anOrderIsOneTraceAcrossRestEasyTracedAManualSpanAndTheClientCall() throws Exception {
        List<DecodedSpan> trace = assertAnOrderIsOneTraceAcrossTheServerTracedAManualSpanAndTheClientCall();
        DecodedSpan prepare = named(trace, "kitchen.prepare");
        // Read from the method's @Traced: CDI 4.0 has no InvocationContext.getInterceptorBindings.
        assertEquals("kitchen.prepare", prepare.resource());
        assertEquals(app, prepare.service());
    }

    @Test
    @Order(5)
    void theWriterRunsOnLibertysManagedExecutorNotOnRequestThreads() throws Exception {
        // The writer's ticks run on the pool the requests run on: the thread that served a request, back in
        // the pool, may print its trace at the next tick. A writer on the request thread would print every
        // trace there, so only that, over a few requests, fails the test.
        String requestThread = null;
        long requestThreadId = -1;
        long printer = -1;
        for (int attempt = 0; attempt < 5 && printer == requestThreadId; attempt++) {
            String id = request("/api/orders/soup", Map.of(), 200, null);
            DecodedSpan root = serverSpan(awaitTrace(id, 5));
            requestThread = root.meta().get("thread.name");
            assertNotNull(requestThread, root.meta().toString());
            requestThreadId = root.metrics().get("thread.id").longValue();

            // The console writer printed the same trace: Liberty's log gives the id of the thread that did.
            printer = threadThatPrinted(String.format("%016x", root.traceId()));
        }
        assertNotEquals(requestThreadId, printer, "each trace was printed on its request's thread, the last "
                + requestThread);
        // That thread is one of Liberty's pool, where its managed executors run their tasks; the library
        // started no thread of its own (traced-writer, traced-sender), its only other place to write from.
        long writer = printer;
        List<String> threads = server.threads();
        String thread = threads.stream().filter(t -> t.contains("\" #" + writer + " ")).findFirst()
                .map(t -> t.substring(1, t.indexOf('"', 1)))
                .orElseThrow(() -> new AssertionError("no thread #" + writer + " in " + names(threads)));
        assertTrue(thread.startsWith(LIBERTY_THREAD), "the trace was written from " + thread);
        assertTrue(threads.stream().noneMatch(t -> t.startsWith("\"traced-")), () -> names(threads).toString());
    }

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
        return Long.parseLong(awaitInLog(record, "console print of trace " + lowHex).group(1), 16);
    }
}
