package dev.traced.quarkus.deployment;

import dev.traced.Span;
import dev.traced.Tracer;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trace finished just before the application stops reaches the Agent: the shutdown task flushes the
 * writer (whose next periodic flush is a minute away) while Quarkus' executor still runs.
 */
class TracedShutdownFlushTest {

    static final TestAgent AGENT = SharedTestAgent.get();
    private static final String OPERATION = "sandwich.last_order";

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, SharedTestAgent.class))
            .overrideConfigKey("quarkus.class-loading.parent-first-artifacts", SharedTestAgent.PARENT_FIRST)
            .overrideConfigKey("dd.trace.agent.url", AGENT.url())
            .overrideConfigKey("dd.trace.flush.interval", "60")
            .setAfterAllCustomizer(TracedShutdownFlushTest::assertSentAtShutdown);

    @Inject
    Tracer tracer;

    @Test
    void lastOrderIsOnlyQueuedWhileTheApplicationRuns() {
        try (Span span = tracer.trace(OPERATION)) {
            span.setTag("sandwich.kind", "blt");
        }
        assertTrue(AGENT.spans().stream().noneMatch(s -> s.name().equals(OPERATION)),
                "not sent yet: the flush interval is a minute");
    }

    /** Runs after the application has stopped. */
    static void assertSentAtShutdown() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (DecodedSpan span : AGENT.spans()) {
                if (span.name().equals(OPERATION) && "blt".equals(span.meta().get("sandwich.kind"))) {
                    return;
                }
            }
            sleep();
        }
        throw new AssertionError("the trace finished before shutdown never reached the Agent: " + AGENT.spans());
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
