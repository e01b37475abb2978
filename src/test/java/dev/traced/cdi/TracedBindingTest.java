package dev.traced.cdi;

import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Tracer;
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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import static dev.traced.NoActiveSpan.assertNoActiveSpan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(WeldJunit5Extension.class)
class TracedBindingTest {

    /** Static: Weld calls the producer on its own instance of this class, not on JUnit's. */
    private static final InMemoryTraces traces = new InMemoryTraces();

    @org.junit.jupiter.api.BeforeEach
    void clear() {
        traces.clear();
    }

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(TracerHolder.class, TracedInterceptor.class,
            TracedBeans.Kitchen.class, TracedBeans.Pantry.class, TracedBeans.Oven.class, TracedBeans.Counter.class,
            TracedBindingTest.class).build();

    @Produces
    @ApplicationScoped
    InMemoryTraces traces() {
        return traces;
    }

    @Inject
    TracedBeans.Kitchen kitchen;

    @Inject
    TracedBeans.Pantry pantry;

    @Inject
    TracedBeans.Oven oven;

    @Inject
    TracedBeans.Counter counter;

    @Inject
    Tracer tracer;

    @Test
    void classLevelBindingTracesEveryMethodWithItsSettings() {
        assertEquals("cooked", kitchen.cook());
        FinishedSpan span = traces.span("Kitchen.cook");
        assertEquals("kitchen", span.service());
        assertEquals("worker", span.spanType());
        assertEquals("Kitchen.cook", span.resource());
    }

    @Test
    void methodLevelWinsOverClassLevel() {
        kitchen.clean();
        FinishedSpan span = traces.span("kitchen.clean");
        assertEquals("sink", span.resource());
        assertEquals("unnamed-java-app", span.service(), "the method's @Traced does not inherit the class's service");
    }

    @Test
    void doNotTraceOptsOneMethodOut() {
        assertEquals("untraced", kitchen.untraced());
        assertTrue(traces.traces().isEmpty());
    }

    @Test
    void methodsCalledInTurnKeepTheirOwnSettings() {
        // The interceptor remembers the templates of the methods it has seen: each call must still
        // get its own method's, an opted-out method included.
        for (int i = 0; i < 3; i++) {
            kitchen.cook();
            kitchen.untraced();
            kitchen.clean();
        }
        List<FinishedSpan> spans = traces.spans();
        assertEquals(6, spans.size(), "cook and clean three times each, untraced never");
        for (int i = 0; i < 6; i += 2) {
            assertEquals("Kitchen.cook", spans.get(i).operationName());
            assertEquals("kitchen", spans.get(i).service());
            assertEquals("kitchen.clean", spans.get(i + 1).operationName());
            assertEquals("sink", spans.get(i + 1).resource());
        }
    }

    @Test
    void selfInvocationIsNotIntercepted() {
        kitchen.callsItself();
        assertEquals(1, traces.spans().size(), "only the outer call: CDI does not intercept this.cook()");
        assertNotNull(traces.span("Kitchen.callsItself"));
    }

    @Test
    void theSpanIsActiveInsideTheMethod() {
        String activeInside = kitchen.activeSpanName();
        assertEquals(traces.span("Kitchen.activeSpanName").spanId(), activeInside);
        assertNoActiveSpan(tracer.currentSpan(), "and no longer active after it");
    }

    @Test
    void stereotypeCarriesTheBinding() {
        assertEquals(3, pantry.count());
        FinishedSpan span = traces.span("Pantry.count");
        assertEquals(1, span.metrics().get("_dd.measured"));
    }

    @Test
    void nestedBeansGiveNestedSpans() {
        counter.countTwice();
        List<FinishedSpan> trace = traces.awaitTraces(1, Duration.ofSeconds(5)).get(0);
        assertEquals(3, trace.size());
        FinishedSpan outer = traces.span("Counter.countTwice");
        assertEquals(2, trace.stream().filter(s -> s.parentId().equals(outer.spanId())).count());
    }

    @Test
    void completionStageEndsTheSpanWhenItCompletes() {
        var stage = oven.bake();
        assertNoActiveSpan(tracer.currentSpan(), "the span is not left active on the caller's thread");
        assertTrue(traces.traces().isEmpty(), "the span is still open while the stage is pending");
        oven.pending.complete("bread");
        assertEquals("bread", stage.toCompletableFuture().join());
        FinishedSpan span = traces.span("oven.bake");
        assertFalse(span.isError());
        oven.alreadyDone().join();
        assertNotNull(traces.span("oven.done"));
    }

    @Test
    void failedStageMarksTheSpan() {
        var stage = oven.bake();
        oven.pending.completeExceptionally(new IllegalArgumentException("burnt"));
        assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
        FinishedSpan span = traces.span("oven.bake");
        assertTrue(span.isError());
        assertEquals("java.lang.IllegalArgumentException", span.meta().get("error.type"));
        assertEquals("burnt", span.meta().get("error.message"));
    }
}
