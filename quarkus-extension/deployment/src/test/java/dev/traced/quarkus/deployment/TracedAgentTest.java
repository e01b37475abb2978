package dev.traced.quarkus.deployment;

import dev.traced.Tracer;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path in a Quarkus application: traced beans, the Agent writer on Quarkus' executor, and
 * msgpack payloads decoded by a test Agent on 127.0.0.1.
 */
class TracedAgentTest {

    static final TestAgent AGENT = SharedTestAgent.get();

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, SharedTestAgent.class, SandwichService.class))
            .overrideConfigKey("quarkus.class-loading.parent-first-artifacts", SharedTestAgent.PARENT_FIRST)
            .overrideConfigKey("dd.trace.agent.url", AGENT.url())
            .overrideConfigKey("dd.service", "sandwich-shop")
            .overrideConfigKey("dd.env", "test");

    @Inject
    SandwichService sandwiches;

    @Inject
    Tracer tracer;

    @Test
    void spansReachTheAgentFromQuarkusExecutor() throws InterruptedException {
        sandwiches.assembleSandwich(sandwiches.getIngredients());
        assertTrue(tracer.flush(Duration.ofSeconds(5)), "flush within the timeout");

        List<DecodedSpan> spans = AGENT.awaitSpans(2, Duration.ofSeconds(10));
        assertEquals(List.of(), AGENT.errors(), "every payload decodes as the Agent decodes it");
        Map<String, DecodedSpan> byName = spans.stream()
                .collect(Collectors.toMap(DecodedSpan::name, Function.identity(), (a, b) -> a));
        DecodedSpan assemble = byName.get("assemble_sandwich");
        assertEquals("my-sandwich-making-svc", assemble.service());
        assertEquals("resource_name", assemble.resource());
        assertEquals("test", assemble.meta().get("env"));
        assertEquals("my-sandwich-making-svc", byName.get("SandwichService.getIngredients").service());

        // The writer's flush task runs on Quarkus' managed executor: it never starts its own thread.
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("traced-writer")),
                "no private traced-writer thread");
    }
}
