package dev.traced.internal.correlation;

import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.AsyncHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JBoss LogManager as the JDK's LogManager (as in WildFly and Quarkus), logged to through JBoss Logging:
 * the ids of the span active when a line is logged reach the formatters' {@code %X{..}}, the thread's
 * MDC is never written. Run in a surefire execution of its own
 * ({@code -Djava.util.logging.manager=org.jboss.logmanager.LogManager}), see the pom.
 */
class JBossLogManagerCorrelationTest {

    private static final String PATTERN = "%s trace=%X{dd.trace_id} span=%X{dd.span_id} service=%X{dd.service} order=%X{order}";

    /** Formats each record when it is published, after waiting for the gate. */
    static final class Capture extends ExtHandler {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CountDownLatch gate;

        Capture(CountDownLatch gate) {
            this.gate = gate;
            setFormatter(new PatternFormatter(PATTERN));
        }

        @Override
        protected void doPublish(ExtLogRecord record) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.add(getFormatter().format(record));
        }
    }

    private final org.jboss.logmanager.Logger root = LogContext.getLogContext().getLogger("");
    private final Capture capture = new Capture(new CountDownLatch(0));
    private final org.jboss.logging.Logger logger = org.jboss.logging.Logger.getLogger("correlation-test");
    private CloseableTracer tracer;

    @BeforeEach
    void setUp() {
        root.setLevel(Level.INFO);
        root.addHandler(capture); // before the tracer starts: its hook still goes first
        tracer = TracerBuilder.create().ignoreEnvironment().inMemory(new InMemoryTraces())
                .config("dd.service", "shop").config("dd.env", "prod").build();
    }

    @AfterEach
    void tearDown() {
        tracer.close();
        root.removeHandler(capture);
        MDC.clear();
    }

    private static String decimal(String hex) {
        return Long.toUnsignedString(Long.parseUnsignedLong(hex, 16));
    }

    @Test
    void theHookIsTheRootLoggersFirstHandler() {
        assertInstanceOf(org.jboss.logmanager.LogManager.class, java.util.logging.LogManager.getLogManager());
        assertInstanceOf(JBossLogManagerCorrelation.LogIdsHandler.class, root.getHandlers()[0]);
        assertTrue(LogCorrelation.hookBackends(getClass().getClassLoader()), "no eager MDC with JBoss LogManager");
        assertEquals(1, Arrays.stream(root.getHandlers())
                .filter(h -> h instanceof JBossLogManagerCorrelation.LogIdsHandler).count(), "hooked once");
    }

    @Test
    void eachLineCarriesTheIdsOfTheSpanActiveWhenItWasLogged() {
        MDC.put("order", "42");
        String traceId;
        String rootId;
        String childId;
        try (Span span = tracer.trace("root")) {
            traceId = span.context().traceId();
            rootId = span.context().spanId();
            logger.info("in root");
            try (Span child = tracer.trace("child")) {
                childId = child.context().spanId();
                logger.info("in child");
            }
            assertNull(MDC.get("dd.trace_id"), "the thread's MDC is never written");
        }
        logger.info("after");
        assertEquals(List.of(
                "in root trace=" + traceId + " span=" + decimal(rootId) + " service=shop order=42",
                "in child trace=" + traceId + " span=" + decimal(childId) + " service=shop order=42",
                "after trace= span= service= order=42"), capture.lines);
        assertEquals("42", MDC.get("order"));
        assertNull(MDC.get("dd.span_id"));
    }

    @Test
    void anAsyncHandlerWritesTheValuesOfTheLoggingCall() throws Exception {
        root.removeHandler(capture);
        CountDownLatch release = new CountDownLatch(1);
        Capture slow = new Capture(release);
        AsyncHandler async = new AsyncHandler();
        async.addHandler(slow);
        root.addHandler(async);
        try {
            String spanId;
            try (Span span = tracer.trace("root")) {
                spanId = span.context().spanId();
                logger.info("in span");
            }
            logger.info("after");
            release.countDown();
            for (int i = 0; i < 100 && slow.lines.size() < 2; i++) {
                Thread.sleep(50);
            }
            assertEquals(2, slow.lines.size());
            assertTrue(slow.lines.get(0).contains(" span=" + decimal(spanId) + " "), slow.lines.get(0));
            assertTrue(slow.lines.get(1).contains(" span= "), slow.lines.get(1));
        } finally {
            release.countDown();
            root.removeHandler(async);
            async.close();
        }
    }

    @Test
    void theHookGoesWhenTheLastTracerCloses() {
        tracer.close();
        for (Handler handler : root.getHandlers()) {
            assertFalse(handler instanceof JBossLogManagerCorrelation.LogIdsHandler);
        }
        tracer = TracerBuilder.create().ignoreEnvironment().inMemory(new InMemoryTraces()).build();
        assertInstanceOf(JBossLogManagerCorrelation.LogIdsHandler.class, root.getHandlers()[0]);
    }

    @Test
    void offWhenLogsInjectionIsFalse() {
        tracer.close();
        tracer = TracerBuilder.create().ignoreEnvironment().inMemory(new InMemoryTraces())
                .config("dd.logs.injection", "false").build();
        try (Span span = tracer.trace("root")) {
            logger.info("in span");
        }
        assertEquals(List.of("in span trace= span= service= order="), capture.lines);
    }
}
