package dev.traced.internal.correlation;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.TracerBuilder;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a real Logback appender sees: the ids of the span active when a line was logged, added to the
 * event's MDC view at log time; the application's MDC is never written.
 */
class LogbackCorrelationTest {

    private static final List<String> KEYS = List.of("dd.trace_id", "dd.span_id", "dd.service", "dd.env", "dd.version");

    /**
     * Prepares each event for later reading, as an appender that keeps events must (Logback otherwise
     * reads the MDC lazily, whenever the event is first asked for it).
     */
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };
    private LoggerContext context;
    private Logger logger;
    private CloseableTracer tracer;

    @BeforeEach
    void attachAppender() {
        context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logger = context.getLogger("correlation-test");
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
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

    private static void assertNoIds(Map<String, String> mdc) {
        for (String key : KEYS) {
            assertNull(mdc.get(key), key + " is absent");
            assertFalse(mdc.containsKey(key), key + " is absent");
        }
    }

    @Test
    void aTracerHooksLogbackWithoutAWarning() {
        start();
        assertInstanceOf(LogbackMdcView.class, context.getMDCAdapter(), "the tracer hooked Logback");
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            assertTrue(status.getLevel() < Status.WARN, "Logback recorded: " + status.getMessage());
        }
    }

    @Test
    void eachLineCarriesTheIdsOfTheSpanActiveWhenItWasLogged() {
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

        assertFalse(traceId.startsWith("0000000000000000"), "a 128-bit id");
        Map<String, String> inRoot = mdcOf(0);
        assertEquals(traceId, inRoot.get("dd.trace_id"), "32 hex characters for a 128-bit id");
        assertEquals(decimal(rootSpanId), inRoot.get("dd.span_id"));
        assertEquals("shop", inRoot.get("dd.service"));
        assertEquals("prod", inRoot.get("dd.env"));
        assertEquals("1.2", inRoot.get("dd.version"));
        assertEquals(5, inRoot.size());
        assertEquals(traceId, mdcOf(1).get("dd.trace_id"));
        assertEquals(decimal(childSpanId), mdcOf(1).get("dd.span_id"));
        assertEquals(decimal(rootSpanId), mdcOf(2).get("dd.span_id"), "the parent's id comes back");
        assertNoIds(mdcOf(3));
        assertTrue(mdcOf(3).isEmpty());
    }

    @Test
    void theApplicationsMdcIsLeftAsItSetIt() {
        start();
        MDC.put("order", "42");
        MDC.put("dd.env", "set-by-the-app");
        try (Span span = tracer.trace("root")) {
            for (String key : List.of("dd.trace_id", "dd.span_id", "dd.service", "dd.version")) {
                assertNull(MDC.get(key), key + " is never written to the MDC");
            }
            logger.info("in span");
            Map<String, String> copy = MDC.getCopyOfContextMap();
            assertEquals(Map.of("order", "42", "dd.env", "set-by-the-app"), copy);
        }
        logger.info("after");
        Map<String, String> inSpan = mdcOf(0);
        assertEquals("42", inSpan.get("order"));
        assertEquals("set-by-the-app", inSpan.get("dd.env"), "a key the application set keeps its value");
        assertEquals(6, inSpan.size());
        assertEquals(Map.of("order", "42", "dd.env", "set-by-the-app"), mdcOf(1));
        assertEquals(Map.of("order", "42", "dd.env", "set-by-the-app"), MDC.getCopyOfContextMap());
    }

    @Test
    void anAsyncAppenderWritesTheValuesOfTheLoggingCall() throws Exception {
        start();
        CountDownLatch release = new CountDownLatch(1);
        ListAppender<ILoggingEvent> slow = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                try {
                    release.await(10, TimeUnit.SECONDS); // the span has ended by the time this writes
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.append(event);
            }
        };
        slow.setContext(context);
        slow.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.addAppender(slow);
        async.start();
        Logger asyncLogger = context.getLogger("correlation-test-async");
        asyncLogger.setAdditive(false);
        asyncLogger.setLevel(Level.INFO);
        asyncLogger.addAppender(async);
        try {
            String spanId;
            try (Span span = tracer.trace("root")) {
                spanId = span.context().spanId();
                asyncLogger.info("in span");
            }
            asyncLogger.info("after");
            release.countDown();
            async.stop(); // drains the queue
            assertEquals(2, slow.list.size());
            assertEquals(decimal(spanId), slow.list.get(0).getMDCPropertyMap().get("dd.span_id"));
            assertNoIds(slow.list.get(1).getMDCPropertyMap());
        } finally {
            release.countDown();
            asyncLogger.detachAppender(async);
            async.stop();
        }
    }

    @Test
    void aJsonEncoderSeesTheIds() throws Exception {
        start();
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.start();
        MDC.put("order", "42");
        String traceId;
        String spanId;
        try (Span span = tracer.trace("root")) {
            traceId = span.context().traceId();
            spanId = span.context().spanId();
            logger.info("in span");
        }
        JsonNode json = new ObjectMapper().readTree(new String(encoder.encode(appender.list.get(0)), StandardCharsets.UTF_8));
        assertEquals(traceId, json.path("dd.trace_id").asText());
        assertEquals(decimal(spanId), json.path("dd.span_id").asText());
        assertEquals("shop", json.path("dd.service").asText());
        assertEquals("42", json.path("order").asText());
        encoder.stop();
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
            assertNoIds(mdcOf(1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void offWhenLogsInjectionIsFalse() {
        start("dd.logs.injection", "false");
        try (Span span = tracer.trace("root")) {
            logger.info("in span");
            assertNull(MDC.get("dd.span_id"));
        }
        assertNoIds(mdcOf(0));
    }

    @Test
    void aClosedTracersSpansAreNotLookedUp() {
        start();
        Span span = tracer.trace("root");
        tracer.close();
        logger.info("tracer closed");
        span.finish();
        assertNoIds(mdcOf(0));
    }

    @Test
    void withLogbackServedThereIsNoEagerFallback() {
        assertTrue(LogCorrelation.hookBackends(getClass().getClassLoader()));
    }
}
