package dev.traced.quarkus.deployment;

import dev.traced.Span;
import dev.traced.Tracer;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log correlation in Quarkus: Quarkus' own file handler (async, with its own format) writes the ids of
 * the span active when each line was logged, and the MDC is never written.
 */
class LogCorrelationTest {

    static final Path LOG = Path.of("target", "log-correlation-test.log");

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, TestTraces.class))
            .overrideConfigKey("dd.service", "quarkus-shop")
            .overrideConfigKey("quarkus.log.file.enabled", "true")
            .overrideConfigKey("quarkus.log.file.path", LOG.toString())
            .overrideConfigKey("quarkus.log.file.async.enabled", "true")
            .overrideConfigKey("quarkus.log.file.format",
                    "%s trace=%X{dd.trace_id} span=%X{dd.span_id} service=%X{dd.service} order=%X{order}%n");

    private static final Logger LOGGER = Logger.getLogger("sandwich.log");

    @Inject
    Tracer tracer;

    @Test
    void quarkusLogFormatShowsTheIdsOfTheSpanActiveWhenALineIsLogged() throws Exception {
        MDC.put("order", "42");
        String traceId;
        String spanId;
        try (Span span = tracer.trace("sandwich.log")) {
            traceId = span.context().traceId();
            spanId = Long.toUnsignedString(Long.parseUnsignedLong(span.context().spanId(), 16));
            LOGGER.info("making a sandwich");
            assertNull(MDC.get("dd.trace_id"), "the MDC is never written");
        }
        LOGGER.info("sandwich served");
        MDC.remove("order");

        List<String> lines = awaitLines("sandwich served");
        assertTrue(lines.contains("making a sandwich trace=" + traceId + " span=" + spanId
                + " service=quarkus-shop order=42"), String.join("\n", lines));
        assertTrue(lines.contains("sandwich served trace= span= service= order=42"), String.join("\n", lines));
        assertEquals(1, lines.stream().filter(l -> l.startsWith("making a sandwich")).count());
    }

    /** The file's lines once one starts with {@code last} (the handler is async); bounded wait. */
    private static List<String> awaitLines(String last) throws IOException, InterruptedException {
        List<String> lines = List.of();
        for (int i = 0; i < 100; i++) {
            if (Files.exists(LOG)) {
                lines = Files.readAllLines(LOG, StandardCharsets.UTF_8);
                if (lines.stream().anyMatch(l -> l.startsWith(last))) {
                    return lines;
                }
            }
            Thread.sleep(50);
        }
        return lines;
    }
}
