package dev.traced.internal.correlation;

import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The fallback for backends without a per-line hook: the MDC follows the active span, and is emptied after. */
class EagerMdcTest {

    private final CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment().inMemory(new InMemoryTraces())
            .config("dd.service", "shop").config("dd.env", "prod").config("dd.logs.injection", "false").build();

    @AfterEach
    void close() {
        tracer.close();
        MDC.clear();
    }

    @Test
    void theMdcFollowsTheActiveSpanAndIsEmptiedAfter() {
        EagerMdc eager = new EagerMdc(new Slf4jMdc(), ((CoreTracer) tracer).settings());
        MDC.put("order", "42");
        try (Span root = tracer.trace("root")) {
            CoreSpan rootSpan = (CoreSpan) root;
            eager.update(null, rootSpan);
            assertEquals(root.context().traceId(), MDC.get("dd.trace_id"));
            assertEquals(rootSpan.correlationSpanId(), MDC.get("dd.span_id"));
            assertEquals("shop", MDC.get("dd.service"));
            assertEquals("prod", MDC.get("dd.env"));
            assertNull(MDC.get("dd.version"));
            try (Span child = tracer.trace("child")) {
                eager.update(rootSpan, (CoreSpan) child);
                assertEquals(((CoreSpan) child).correlationSpanId(), MDC.get("dd.span_id"));
                eager.update((CoreSpan) child, rootSpan);
            }
            assertEquals(rootSpan.correlationSpanId(), MDC.get("dd.span_id"));
            eager.update(rootSpan, null);
        }
        for (String key : List.of("dd.trace_id", "dd.span_id", "dd.service", "dd.env", "dd.version")) {
            assertNull(MDC.get(key), key);
        }
        assertEquals("42", MDC.get("order"), "the application's own keys stay");
    }

    @Test
    void slf4jIsPreferredAndJBossLoggingWritesTheSameBackend() {
        assertInstanceOf(Slf4jMdc.class, LogCorrelation.detectMdc(getClass().getClassLoader()));
        JBossLoggingMdc jboss = new JBossLoggingMdc();
        jboss.put("dd.span_id", "42");
        assertEquals("42", MDC.get("dd.span_id"));
        jboss.remove("dd.span_id");
        assertNull(MDC.get("dd.span_id"));
    }
}
