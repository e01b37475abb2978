package com.example;

import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the README's first screen promises for a plain CDI application: run {@code Main} with
 * {@code -Ddd.service=hello -Ddd.trace.agent.url=...} and the Agent receives the {@code Greeter.greet} span.
 */
class MainTest {

    @AfterEach
    void clearSettings() {
        System.clearProperty("dd.service");
        System.clearProperty("dd.trace.agent.url");
    }

    @Test
    void theReadmeProgramSendsItsTraceToTheAgent() throws Exception {
        try (TestAgent agent = TestAgent.start()) {
            System.setProperty("dd.service", "hello");
            System.setProperty("dd.trace.agent.url", agent.url());

            Main.main(new String[0]);

            List<DecodedSpan> spans = agent.awaitSpans(1, Duration.ofSeconds(10));
            assertEquals(1, spans.size(), () -> "spans: " + spans);
            DecodedSpan span = spans.get(0);
            assertEquals("Greeter.greet", span.name());
            assertEquals("hello", span.service());
            assertEquals(List.of(), agent.errors());
        }
    }
}
