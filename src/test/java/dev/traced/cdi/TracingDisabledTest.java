package dev.traced.cdi;

import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.Traced;
import dev.traced.Tracer;
import dev.traced.internal.cdi.ContainerSettings;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldJunit5Extension;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static dev.traced.NoActiveSpan.assertNoActiveSpan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dd.trace.enabled=false} in a CDI application: {@code @Traced} methods run, and code that uses
 * the current span as the README shows ({@code tracer.currentRootSpan().setTag(...)}) works unchanged,
 * on a no-op span; nothing is recorded.
 */
@ExtendWith(WeldJunit5Extension.class)
class TracingDisabledTest {

    private static final InMemoryTraces traces = new InMemoryTraces();

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(TracerHolder.class, TracedInterceptor.class, Checkout.class,
            TracingDisabledTest.class).build();

    @Produces
    @ApplicationScoped
    InMemoryTraces traces() {
        return traces;
    }

    /** What the Quarkus extension produces for {@code quarkus.traced.enabled=false} (a record: not proxyable). */
    @Produces
    @Singleton
    ContainerSettings tracingOff() {
        return new ContainerSettings(Map.of("dd.trace.enabled", "false"), null);
    }

    @Inject
    Checkout checkout;

    @Inject
    Tracer tracer;

    @Test
    void tracedMethodsThatTagTheCurrentSpansRunUnchanged() {
        assertEquals("paid 3", checkout.pay(3));
        assertNoActiveSpan(checkout.seenInside(), "inside a @Traced method, the current span is the no-op span");
        assertNoActiveSpan(checkout.rootSeenInside(), "and so is the root span");
        assertTrue(traces.traces().isEmpty(), traces.traces().toString());
    }

    @Test
    void exceptionsStillPassThroughUnchanged() {
        IllegalStateException refused = new IllegalStateException("refused");
        assertSame(refused, assertThrows(IllegalStateException.class, () -> checkout.refuse(refused)));
        assertTrue(traces.traces().isEmpty());
    }

    @Test
    void spansTheApplicationStartsAreNoOpsToo() {
        try (Span span = tracer.trace("checkout.batch")) {
            span.setTag("batch.size", 10);
            assertNoActiveSpan(span, "the started span");
            assertNoActiveSpan(tracer.currentSpan(), "inside it");
            tracer.currentRootSpan().setTag("batch.kind", "nightly");
        }
        assertNoActiveSpan(tracer.currentSpan(), "outside any span");
        assertTrue(traces.traces().isEmpty());
    }

    @ApplicationScoped
    public static class Checkout {
        @Inject
        Tracer tracer;

        private Span seenInside;
        private Span rootSeenInside;

        @Traced("checkout.pay")
        public String pay(int items) {
            // The README's code, unchanged.
            tracer.currentRootSpan().setTag("checkout.items", items);
            tracer.currentSpan().setTag("checkout.step", "pay");
            seenInside = tracer.currentSpan();
            rootSeenInside = tracer.currentRootSpan();
            return "paid " + items;
        }

        public Span seenInside() {
            return seenInside;
        }

        public Span rootSeenInside() {
            return rootSeenInside;
        }

        @Traced
        public void refuse(RuntimeException error) {
            tracer.currentRootSpan().setError(error);
            throw error;
        }
    }
}
