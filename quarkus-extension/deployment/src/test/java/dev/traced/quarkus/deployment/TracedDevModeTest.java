package dev.traced.quarkus.deployment;

import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import io.quarkus.test.QuarkusDevModeTest;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dev mode: each live reload stops the old application, whose tracer flushes what it holds and stops
 * its writer task, and starts a new one. Nothing is lost and no writer thread is left behind.
 */
class TracedDevModeTest {

    static final TestAgent AGENT = TestAgent.start();
    static final int PORT = freePort();

    @RegisterExtension
    static final QuarkusDevModeTest DEV = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(DevModeResource.class)
                    .addAsResource(new StringAsset("""
                            quarkus.http.host=127.0.0.1
                            quarkus.http.port=%d
                            dd.trace.agent.url=%s
                            dd.trace.flush.interval=60
                            """.formatted(PORT, AGENT.url())), "application.properties"));

    @AfterAll
    static void stopAgent() {
        AGENT.close();
    }

    @Test
    void eachReloadFlushesTheOldTracerAndLeavesNoWriterThread() {
        get("v1");
        DEV.modifySourceFile(DevModeResource.class, source -> source.replace("\"v1\"", "\"v2\""));
        get("v2");
        awaitGeneration("v1");
        DEV.modifySourceFile(DevModeResource.class, source -> source.replace("\"v2\"", "\"v3\""));
        get("v3");
        awaitGeneration("v2");

        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("traced-writer")),
                "the writer runs on Quarkus' executor, never on a thread of its own");
    }

    private static void get(String generation) {
        given().port(PORT).get("/generation").then().statusCode(200).body(equalTo(generation));
    }

    /** The span of a generation is sent when that generation's application stops (the interval is a minute). */
    private static void awaitGeneration(String generation) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (DecodedSpan span : AGENT.spans()) {
                if (span.name().equals("dev.generation") && generation.equals(span.meta().get("generation"))) {
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("generation " + generation + " was not flushed at reload: " + AGENT.spans());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
