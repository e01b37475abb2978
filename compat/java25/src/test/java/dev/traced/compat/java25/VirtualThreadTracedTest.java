package dev.traced.compat.java25;

import dev.traced.Tracer;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@code @Traced} methods (Weld SE) called on virtual threads, many at once on two carriers: each call
 * is its own trace with the right parent/child, and neither the virtual thread after the call nor any
 * carrier keeps an active span.
 */
class VirtualThreadTracedTest {

    private static final int ORDERS = 100;

    @Test
    void tracedMethodsOnVirtualThreadsKeepParentAndChildApart() throws Exception {
        try (TestAgent agent = TestAgent.start()) {
            Map<String, String> settings = Map.of("dd.trace.agent.url", agent.url(), "dd.service", "bakery");
            settings.forEach(System::setProperty);
            List<String> childIds = new ArrayList<>();
            try (WeldContainer container = new Weld().initialize()) {
                Bakery bakery = container.select(Bakery.class).get();
                Tracer tracer = container.select(Tracer.class).get();
                List<Future<String>> results = new ArrayList<>();
                try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < ORDERS; i++) {
                        int number = i;
                        results.add(virtual.submit(() -> {
                            String child = bakery.order(number);
                            return tracer.currentSpan().isRecording() ? "span left active" : child;
                        }));
                    }
                    for (Future<String> result : results) {
                        childIds.add(result.get(30, TimeUnit.SECONDS));
                    }
                }
                assertEquals(List.of(), CarrierThreads.tracedThreadLocals(
                        CarrierThreads.threads(CarrierThreads::isCarrier)), "nothing is left on a carrier");
            } finally {
                settings.keySet().forEach(System::clearProperty);
            }

            List<DecodedSpan> spans = agent.awaitSpans(2 * ORDERS, Duration.ofSeconds(20));
            assertEquals(List.of(), agent.errors());
            assertEquals(2 * ORDERS, spans.size(), "the shutdown flush sent every trace");
            Map<Long, List<DecodedSpan>> traces = spans.stream().collect(Collectors.groupingBy(DecodedSpan::traceId));
            assertEquals(ORDERS, traces.size(), "one trace per call");
            for (List<DecodedSpan> trace : traces.values()) {
                DecodedSpan order = trace.stream().filter(s -> s.name().equals("bakery.order")).findFirst().orElse(null);
                DecodedSpan bake = trace.stream().filter(s -> s.name().equals("oven.bake")).findFirst().orElse(null);
                assertNotNull(order, trace.toString());
                assertNotNull(bake, trace.toString());
                assertEquals(0, order.parentId());
                assertEquals(order.spanId(), bake.parentId(), "the inner call is a child of the outer one");
                assertNotNull(order.metrics().get("order.number"), "currentRootSpan() was the outer span");
                assertFalse(childIds.contains("span left active"));
                assertEquals(true, childIds.contains(String.format("%016x", bake.spanId())));
            }
        }
    }
}
