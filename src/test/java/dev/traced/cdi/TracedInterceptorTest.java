package dev.traced.cdi;

import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.Tracer;
import dev.traced.TracerBuilder;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldJunit5Extension;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

@ExtendWith(WeldJunit5Extension.class)
class TracedInterceptorTest {

    static final InMemoryTraces TRACES = new InMemoryTraces();

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(TracerHolder.class, TracedInterceptor.class,
            SandwichBeans.class, TracedInterceptorTest.class).build();

    @Produces
    @ApplicationScoped
    InMemoryTraces traces() {
        return TRACES;
    }

    @org.junit.jupiter.api.BeforeEach
    void clear() {
        TRACES.clear();
    }

    @Inject
    SandwichBeans sandwiches;

    @Inject
    Tracer tracer;

    @Test
    void decoratorExampleBecomesChildSpans() {
        try (Span request = tracer.trace("sandwich.make")) {
            sandwiches.assembleSandwich(sandwiches.getIngredients());
        }
        List<FinishedSpan> trace = TRACES.awaitTraces(1, java.time.Duration.ofSeconds(5)).get(0);
        assertEquals(3, trace.size());
        FinishedSpan ingredients = TRACES.span("SandwichBeans.getIngredients");
        assertEquals("my-sandwich-making-svc", ingredients.service());
        assertEquals("resource_name", ingredients.resource());
        FinishedSpan assemble = TRACES.span("assemble_sandwich");
        FinishedSpan root = TRACES.span("sandwich.make");
        assertEquals(root.spanId(), assemble.parentId());
        assertEquals(root.traceId(), assemble.traceId());
    }

    @Test
    void exceptionPassesThroughAndMarksSpan() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, sandwiches::fails);
        FinishedSpan span = TRACES.awaitTraces(1, java.time.Duration.ofSeconds(5)).get(0).get(0);
        assertEquals(true, span.isError());
        assertEquals("java.lang.IllegalStateException", span.meta().get("error.type"));
        assertEquals("Oops!", span.meta().get("error.message"));
        assertSame(IllegalStateException.class, thrown.getClass());
    }

    @Test
    void builderWorksWithoutContainer() {
        InMemoryTraces traces = new InMemoryTraces();
        try (var standalone = TracerBuilder.create().ignoreEnvironment().inMemory(traces).build()) {
            standalone.run("x", span -> span.setTag("k", 1));
        }
        assertEquals(1, traces.spans().size());
    }
}
