package dev.traced.cdi;

import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When the container shuts down, the tracer's final flush sends every finished trace to the Agent. */
class TracerShutdownTest {

    @Test
    void containerShutdownFlushesEveryTrace() throws Exception {
        Map<String, String> settings = Map.of("dd.trace.flush.interval", "60", "dd.service", "sandwich-shop");
        try (TestAgent agent = TestAgent.start()) {
            System.setProperty("dd.trace.agent.url", agent.url());
            settings.forEach(System::setProperty);
            try {
                WeldContainer container = new Weld().disableDiscovery()
                        .addBeanClasses(TracerHolder.class, TracedInterceptor.class,
                                SandwichBeans.class)
                        .initialize();
                SandwichBeans beans = container.select(SandwichBeans.class).get();
                for (int i = 0; i < 20; i++) {
                    beans.assembleSandwich(beans.getIngredients());
                }
                container.shutdown(); // @PreDestroy: tracer.close() with the final flush
            } finally {
                System.clearProperty("dd.trace.agent.url");
                settings.keySet().forEach(System::clearProperty);
            }
            List<DecodedSpan> spans = agent.awaitSpans(40, Duration.ofSeconds(20));
            assertEquals(40, spans.size());
            assertEquals(List.of(), agent.errors());
            assertEquals("my-sandwich-making-svc", spans.get(0).service());
        }
    }
}
