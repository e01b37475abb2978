package dev.traced.internal.correlation;

import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.AsyncAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log4j 2 (core) with the library's {@code ContextDataProvider}: the ids of the span active when a
 * line is logged are in the event's context data, for {@code %X{..}} and JSON layouts alike. Run in a
 * surefire execution of its own (log4j-core on the class path), see the pom.
 */
class Log4j2CorrelationTest {

    /** Keeps each event's context data and formatted line, taken when the event is appended. */
    static final class Capture extends AbstractAppender {
        final List<Map<String, String>> contextData = new CopyOnWriteArrayList<>();
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CountDownLatch gate;

        Capture(String name, CountDownLatch gate) {
            super(name, null, PatternLayout.newBuilder()
                    .withPattern("%m trace=%X{dd.trace_id} span=%X{dd.span_id} service=%X{dd.service}").build(),
                    false, Property.EMPTY_ARRAY);
            this.gate = gate;
        }

        @Override
        public void append(LogEvent event) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            contextData.add(event.getContextData().toMap());
            lines.add(getLayout().toSerializable(event).toString());
        }
    }

    private static final CountDownLatch OPEN = new CountDownLatch(0);

    private LoggerContext context;
    private CloseableTracer tracer;
    private Capture capture;
    /** Each test's own logger and appender names: a configuration keeps the first of a name. */
    private final String name = "correlation-test-" + System.nanoTime();

    @BeforeEach
    void setUp() {
        context = (LoggerContext) LogManager.getContext(false);
        capture = new Capture(name, OPEN);
        capture.start();
        addLogger(name, capture);
        tracer = TracerBuilder.create().ignoreEnvironment().inMemory(new InMemoryTraces())
                .config("dd.service", "shop").config("dd.env", "prod").build();
    }

    private void addLogger(String name, org.apache.logging.log4j.core.Appender appender) {
        Configuration config = context.getConfiguration();
        config.addAppender(appender);
        LoggerConfig logger = LoggerConfig.newBuilder().withLoggerName(name).withLevel(Level.INFO)
                .withAdditivity(false).withConfig(config).build();
        logger.addAppender(appender, null, null);
        config.addLogger(name, logger);
        context.updateLoggers();
    }

    @AfterEach
    void tearDown() {
        tracer.close();
        ThreadContext.clearAll();
    }

    private static String decimal(String hex) {
        return Long.toUnsignedString(Long.parseUnsignedLong(hex, 16));
    }

    @Test
    void log4jLoadedTheProvider() {
        assertTrue(Log4jCorrelation.providerLoaded());
        assertTrue(LogCorrelation.hookBackends(getClass().getClassLoader()), "no eager MDC with Log4j 2 served");
    }

    @Test
    void eachLineCarriesTheIdsOfTheSpanActiveWhenItWasLogged() {
        Logger logger = LogManager.getLogger(name);
        ThreadContext.put("order", "42");
        String traceId;
        String rootId;
        String childId;
        try (Span root = tracer.trace("root")) {
            traceId = root.context().traceId();
            rootId = root.context().spanId();
            logger.info("in root");
            try (Span child = tracer.trace("child")) {
                childId = child.context().spanId();
                logger.info("in child");
            }
            assertNull(ThreadContext.get("dd.trace_id"), "the ThreadContext is never written");
        }
        logger.info("after");

        Map<String, String> inRoot = capture.contextData.get(0);
        assertEquals(traceId, inRoot.get("dd.trace_id"));
        assertEquals(decimal(rootId), inRoot.get("dd.span_id"));
        assertEquals("shop", inRoot.get("dd.service"));
        assertEquals("prod", inRoot.get("dd.env"));
        assertFalse(inRoot.containsKey("dd.version"), "not set");
        assertEquals("42", inRoot.get("order"));
        assertEquals("in root trace=" + traceId + " span=" + decimal(rootId) + " service=shop", capture.lines.get(0));
        assertEquals(decimal(childId), capture.contextData.get(1).get("dd.span_id"));
        assertEquals(Map.of("order", "42"), capture.contextData.get(2), "nothing after the span ended");
        assertEquals("after trace= span= service=", capture.lines.get(2));
        assertEquals(Map.of("order", "42"), ThreadContext.getImmutableContext());
    }

    @Test
    void anAsyncAppenderWritesTheValuesOfTheLoggingCall() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Capture slow = new Capture(name + "-slow", release);
        slow.start();
        Configuration config = context.getConfiguration();
        config.addAppender(slow);
        AsyncAppender async = AsyncAppender.newBuilder().setName(name + "-async").setConfiguration(config)
                .setAppenderRefs(new AppenderRef[] {AppenderRef.createAppenderRef(name + "-slow", null, null)}).build();
        async.start();
        addLogger(name + "-async", async);
        Logger logger = LogManager.getLogger(name + "-async");
        String spanId;
        try (Span span = tracer.trace("root")) {
            spanId = span.context().spanId();
            logger.info("in span");
        }
        logger.info("after");
        release.countDown();
        async.stop(10, TimeUnit.SECONDS);
        assertEquals(2, slow.contextData.size());
        assertEquals(decimal(spanId), slow.contextData.get(0).get("dd.span_id"));
        assertNull(slow.contextData.get(1).get("dd.span_id"));
    }

    @Test
    void offWhenLogsInjectionIsFalse() {
        tracer.close();
        tracer = TracerBuilder.create().ignoreEnvironment().inMemory(new InMemoryTraces())
                .config("dd.logs.injection", "false").build();
        Logger logger = LogManager.getLogger(name);
        try (Span span = tracer.trace("root")) {
            logger.info("in span");
        }
        assertTrue(capture.contextData.get(0).isEmpty());
    }
}
