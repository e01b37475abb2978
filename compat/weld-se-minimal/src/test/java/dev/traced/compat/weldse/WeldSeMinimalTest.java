package dev.traced.compat.weldse;

import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compatibility row "Weld SE alone": a CDI application (a batch job, a CLI) whose class path is
 * {@code traced} and {@code weld-se-core} only. It must boot, trace {@code @Traced} methods, inject the
 * tracer, send to the Agent, flush on container shutdown, and log nothing about the missing
 * integrations.
 */
class WeldSeMinimalTest {

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    /** The row must not silently gain an optional API through a new dependency. */
    @ParameterizedTest
    @ValueSource(strings = {"jakarta.ws.rs.Path", "org.eclipse.microprofile.config.ConfigProvider",
            "org.eclipse.microprofile.context.spi.ThreadContextProvider",
            "jakarta.enterprise.concurrent.spi.ThreadContextProvider", "org.slf4j.MDC",
            "io.smallrye.mutiny.Uni"})
    void theOptionalApiIsNotOnTheClassPath(String type) {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(type));
    }

    @Test
    void bootsTracesAndFlushesOnShutdown() throws Exception {
        try (TestAgent agent = TestAgent.start()) {
            Map<String, String> settings = Map.of("dd.trace.agent.url", agent.url(), "dd.service", "batch-job",
                    // Longer than the test: what reaches the Agent is sent by the shutdown flush.
                    "dd.trace.flush.interval", "60");
            settings.forEach(System::setProperty);
            try {
                String result;
                try (WeldContainer container = new Weld().initialize()) {
                    result = container.select(Kitchen.class).get().order(3);
                    assertEquals(List.of(), agent.spans(), "nothing is sent before the flush interval");
                }
                assertEquals("toasted with 3 layers", result);

                List<DecodedSpan> spans = agent.awaitSpans(2, Duration.ofSeconds(10));
                assertEquals(List.of(), agent.errors());
                assertEquals(2, spans.size(), "the shutdown flush sent the pending trace: " + spans);
                DecodedSpan order = byName(spans, "kitchen.order");
                DecodedSpan bake = byName(spans, "Oven.bake");
                assertEquals("batch-job", order.service());
                assertEquals("sandwich", order.resource());
                assertEquals(0, order.parentId());
                assertEquals(3, order.metrics().get("sandwich.layers").intValue(),
                        "currentRootSpan() inside a @Traced method is the method's span");
                assertEquals(order.traceId(), bake.traceId());
                assertEquals(order.spanId(), bake.parentId(), "the inner @Traced call is a child");
            } finally {
                settings.keySet().forEach(System::clearProperty);
            }
        }
        assertEquals(List.of(), problemsAboutTraced(), "the missing integrations cost no log line");
    }

    private static DecodedSpan byName(List<DecodedSpan> spans, String name) {
        DecodedSpan found = spans.stream().filter(s -> name.equals(s.name())).findFirst().orElse(null);
        assertNotNull(found, name + " in " + spans);
        return found;
    }

    /** Lines at INFO and above from the library, and container lines naming it. */
    private List<String> problemsAboutTraced() {
        return logged.stream()
                .filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                .filter(r -> String.valueOf(r.getLoggerName()).startsWith("dev.traced")
                        || String.valueOf(r.getMessage()).contains("dev.traced")
                        || (r.getParameters() != null && List.of(r.getParameters()).toString().contains("dev.traced")))
                .map(r -> r.getLoggerName() + ": " + r.getMessage() + " " + (r.getParameters() == null ? ""
                        : List.of(r.getParameters())))
                .collect(Collectors.toList());
    }
}
