package dev.traced.quarkus.deployment;

import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code @Traced} on an application bean in ArC, with the extension as the only set-up. */
class TracedInterceptorTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, SandwichService.class, TestTraces.class))
            .overrideConfigKey("dd.service", "sandwich-shop");

    @Inject
    SandwichService sandwiches;

    @Inject
    InMemoryTraces traces;

    @BeforeEach
    void clear() {
        traces.clear();
    }

    @Test
    void tracedMethodsBecomeSpansNamedAsTheSeedPageSays() {
        sandwiches.assembleSandwich(sandwiches.getIngredients());

        traces.awaitTraces(2, Duration.ofSeconds(5));
        FinishedSpan ingredients = traces.span("SandwichService.getIngredients");
        assertEquals("my-sandwich-making-svc", ingredients.service());
        assertEquals("resource_name", ingredients.resource());
        FinishedSpan assemble = traces.span("assemble_sandwich");
        assertEquals("my-sandwich-making-svc", assemble.service());
        assertEquals("resource_name", assemble.resource());
    }

    @Test
    void exceptionMarksTheSpanAndPassesThroughUnchanged() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, sandwiches::burn);
        assertEquals("Oops!", thrown.getMessage());

        traces.awaitTraces(1, Duration.ofSeconds(5));
        FinishedSpan span = traces.span("SandwichService.burn");
        assertTrue(span.isError());
        assertEquals("sandwich-shop", span.service());
        assertEquals(IllegalStateException.class.getName(), span.meta().get("error.type"));
    }

    @Test
    void uniEndsItsSpanWhenItTerminatesNotWhenTheMethodReturns() {
        Uni<String> delivery = sandwiches.deliver(Duration.ofMillis(200));
        assertTrue(traces.traces().isEmpty(), "the span must still be open before subscription");

        assertEquals("delivered", delivery.await().atMost(Duration.ofSeconds(5)));

        traces.awaitTraces(1, Duration.ofSeconds(5));
        FinishedSpan span = traces.span("sandwich.deliver");
        assertTrue(span.durationNanos() >= Duration.ofMillis(200).toNanos(),
                "the span covers the delayed item: " + span.durationNanos());
    }

    @Test
    void failedUniMarksItsSpan() {
        assertThrows(IllegalStateException.class,
                () -> sandwiches.deliverFailing().await().atMost(Duration.ofSeconds(5)));

        traces.awaitTraces(1, Duration.ofSeconds(5));
        assertTrue(traces.span("sandwich.deliver.failing").isError());
    }

    @Test
    void multiEndsItsSpanOnCompletion() {
        List<Integer> slices = sandwiches.slices().collect().asList().await().atMost(Duration.ofSeconds(5));
        assertEquals(List.of(1, 2, 3), slices);

        traces.awaitTraces(1, Duration.ofSeconds(5));
        assertEquals("sandwich.slices", traces.span("sandwich.slices").operationName());
    }

    @Test
    void completionStageStillEndsOnCompletion() {
        assertEquals("ordered", sandwiches.order().toCompletableFuture().join());

        traces.awaitTraces(1, Duration.ofSeconds(5));
        assertEquals("sandwich.order", traces.span("sandwich.order").operationName());
    }
}
