package dev.traced.internal.correlation;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.TracerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MDC a real Logback appender sees while spans are active, and after. */
class LogCorrelationTest {

    /** Captures each event's MDC when it is logged (Logback otherwise reads it lazily). */
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };
    private Logger logger;
    private CloseableTracer tracer;

    @BeforeEach
    void attachAppender() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logger = context.getLogger("correlation-test");
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        if (tracer != null) {
            tracer.close();
        }
        MDC.clear();
    }

    private void start(String... settings) {
        TracerBuilder builder = TracerBuilder.create().ignoreEnvironment().inMemory(new InMemoryTraces())
                .config("dd.service", "shop").config("dd.env", "prod").config("dd.version", "1.2");
        for (int i = 0; i < settings.length; i += 2) {
            builder.config(settings[i], settings[i + 1]);
        }
        tracer = builder.build();
    }

    private Map<String, String> mdcOf(int event) {
        return appender.list.get(event).getMDCPropertyMap();
    }

    private static String decimal(String hex) {
        return Long.toUnsignedString(Long.parseUnsignedLong(hex, 16));
    }

    @Test
    void theMdcFollowsTheActiveSpanAndIsClearedAfter() {
        start();
        String rootSpanId;
        String childSpanId;
        String traceId;
        try (Span root = tracer.trace("root")) {
            traceId = root.context().traceId();
            rootSpanId = root.context().spanId();
            logger.info("in root");
            try (Span child = tracer.trace("child")) {
                childSpanId = child.context().spanId();
                logger.info("in child");
            }
            logger.info("back in root");
        }
        logger.info("after");

        assertTrue(!traceId.startsWith("0000000000000000"), "a 128-bit id");
        Map<String, String> inRoot = mdcOf(0);
        assertEquals(traceId, inRoot.get("dd.trace_id"), "32 hex characters for a 128-bit id");
        assertEquals(decimal(rootSpanId), inRoot.get("dd.span_id"));
        assertEquals("shop", inRoot.get("dd.service"));
        assertEquals("prod", inRoot.get("dd.env"));
        assertEquals("1.2", inRoot.get("dd.version"));
        assertEquals(traceId, mdcOf(1).get("dd.trace_id"));
        assertEquals(decimal(childSpanId), mdcOf(1).get("dd.span_id"));
        assertEquals(decimal(rootSpanId), mdcOf(2).get("dd.span_id"), "the parent's id comes back");
        Map<String, String> after = mdcOf(3);
        for (String key : List.of("dd.trace_id", "dd.span_id", "dd.service", "dd.env", "dd.version")) {
            assertNull(after.get(key), key + " is cleared");
        }
    }

    @Test
    void aSixtyFourBitTraceIdIsLoggedInDecimal() {
        start();
        SpanContext parent = new SpanContext() {
            @Override
            public String traceId() {
                return "0000000000000000000000000000abcd";
            }

            @Override
            public String spanId() {
                return "0000000000000001";
            }
        };
        try (Span span = tracer.spanBuilder("remote.child").parent(parent).start()) {
            logger.info("in span");
        }
        assertEquals("43981", mdcOf(0).get("dd.trace_id"));
    }

    @Test
    void theIdsCrossAnExecutorHopAndAreGoneFromTheWorkerAfter() throws Exception {
        start();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            String spanId;
            try (Span root = tracer.trace("root")) {
                spanId = root.context().spanId();
                pool.submit(tracer.wrap(() -> logger.info("on the worker"))).get(10, TimeUnit.SECONDS);
            }
            pool.submit(() -> logger.info("worker, later")).get(10, TimeUnit.SECONDS);
            assertEquals(decimal(spanId), mdcOf(0).get("dd.span_id"));
            assertNull(mdcOf(1).get("dd.span_id"));
            assertNull(mdcOf(1).get("dd.trace_id"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void offWhenLogsInjectionIsFalse() {
        start("dd.logs.injection", "false");
        try (Span span = tracer.trace("root")) {
            logger.info("in span");
        }
        assertNull(mdcOf(0).get("dd.span_id"));
    }

    @Test
    void slf4jIsPreferredAndJBossLoggingWritesTheSameBackend() {
        assertInstanceOf(Slf4jMdc.class, LogCorrelation.detect(getClass().getClassLoader()));
        // JBoss Logging finds Logback here, so its MDC is the one Logback reads.
        JBossLoggingMdc jboss = new JBossLoggingMdc();
        jboss.put("dd.span_id", "42");
        assertEquals("42", MDC.get("dd.span_id"));
        jboss.remove("dd.span_id");
        assertNull(MDC.get("dd.span_id"));
    }
}
