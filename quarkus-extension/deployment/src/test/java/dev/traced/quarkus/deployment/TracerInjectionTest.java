package dev.traced.quarkus.deployment;

import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.Tracer;
import io.quarkus.arc.Arc;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@code @Inject Tracer} and manual spans around traced beans, as the seed page's context manager. */
class TracerInjectionTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, SandwichService.class, TestTraces.class));

    @Inject
    Tracer tracer;

    @Inject
    SandwichService sandwiches;

    @Inject
    InMemoryTraces traces;

    @Inject
    ManagedExecutor executor;

    @BeforeEach
    void clear() {
        traces.clear();
    }

    @Test
    void manualSpanIsTheParentOfTracedBeanSpans() {
        try (Span outer = tracer.trace("sandwich.create", "resource_name")) {
            assertSame(outer, tracer.currentSpan());
            sandwiches.assembleSandwich(sandwiches.getIngredients());
        }

        List<FinishedSpan> trace = traces.awaitTraces(1, Duration.ofSeconds(5)).get(0);
        assertEquals(3, trace.size(), "one trace: the manual span and both bean spans");
        FinishedSpan root = traces.span("sandwich.create");
        assertEquals("resource_name", root.resource());
        assertEquals(root.spanId(), traces.span("assemble_sandwich").parentId());
        assertEquals(root.spanId(), traces.span("SandwichService.getIngredients").parentId());
        assertEquals(root.traceId(), traces.span("assemble_sandwich").traceId());
    }

    @Test
    void activeSpanCrossesQuarkusManagedExecutor() throws Exception {
        String seenOnWorker;
        String outerId;
        try (Span outer = tracer.trace("sandwich.order")) {
            outerId = outer.context().spanId();
            seenOnWorker = executor.supplyAsync(() -> {
                Span current = tracer.currentSpan();
                return current == null ? null : current.context().spanId();
            }).get(5, TimeUnit.SECONDS);
        }
        assertEquals(outerId, seenOnWorker, "MicroProfile Context Propagation carries the active span");
    }

    @Test
    void tracerIsAlsoAvailableToProgrammaticLookup() {
        Tracer looked = Arc.container().instance(Tracer.class).get();
        assertNotNull(looked);
        try (Span span = looked.trace("looked.up")) {
            span.setTag("sandwich.kind", "blt");
        }
        traces.awaitTraces(1, Duration.ofSeconds(5));
        assertEquals("blt", traces.span("looked.up").meta().get("sandwich.kind"));
    }
}
