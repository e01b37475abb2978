package dev.traced.compat.java25;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tracer.wrap(...)} into {@code Executors.newVirtualThreadPerTaskExecutor()}: each task runs
 * with the submitter's span as parent, keeps its own span active across unmount and remount (it
 * sleeps inside the span, on a JVM with two carriers), and leaves nothing on the carrier threads.
 */
class VirtualThreadWrapTest {

    private static final int TASKS = 200;

    @Test
    void wrappedTasksOnVirtualThreadsAreChildrenOfTheSubmittersSpan() throws Exception {
        try (TestAgent agent = TestAgent.start()) {
            String batchId;
            List<Future<String>> results = new ArrayList<>();
            try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                    .config("dd.trace.agent.url", agent.url()).config("dd.service", "virtual").build()) {
                try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
                    try (Span batch = tracer.trace("batch")) {
                        batchId = batch.context().spanId();
                        for (int i = 0; i < TASKS; i++) {
                            int item = i;
                            results.add(virtual.submit(tracer.wrap(() -> {
                                String seen = tracer.currentSpan().context().spanId();
                                try (Span child = tracer.trace("item")) {
                                    child.setTag("item", item);
                                    Thread.sleep(1); // unmounts; may come back on the other carrier
                                    if (tracer.currentSpan() != child) {
                                        return "lost the active span after remounting";
                                    }
                                }
                                return seen;
                            })));
                        }
                    }
                    for (Future<String> result : results) {
                        assertEquals(batchId, result.get(30, TimeUnit.SECONDS), "the task saw the submitter's span");
                    }
                    Future<Boolean> fresh = virtual.submit(() -> tracer.currentSpan().isRecording());
                    assertFalse(fresh.get(10, TimeUnit.SECONDS), "an unwrapped virtual thread has no span");
                }
                assertEquals(List.of(), CarrierThreads.tracedThreadLocals(
                        CarrierThreads.threads(CarrierThreads::isCarrier)), "nothing is left on a carrier");
                assertTrue(tracer.flush(Duration.ofSeconds(10)));
            }

            List<DecodedSpan> spans = agent.awaitSpans(TASKS + 1, Duration.ofSeconds(20));
            assertEquals(List.of(), agent.errors());
            assertEquals(TASKS + 1, spans.size());
            DecodedSpan batch = spans.stream().filter(s -> s.name().equals("batch")).findFirst().orElseThrow();
            assertEquals(batchId, String.format("%016x", batch.spanId()));
            List<DecodedSpan> items = spans.stream().filter(s -> s.name().equals("item")).toList();
            assertEquals(TASKS, items.size());
            for (DecodedSpan item : items) {
                assertEquals(batch.traceId(), item.traceId());
                assertEquals(batch.spanId(), item.parentId(), "every item is a child of the batch span");
            }
            assertEquals(TASKS, items.stream().map(s -> s.metrics().get("item").intValue()).distinct().count());
        }
    }

    @Test
    void theCarrierProbeSeesTheActiveSpanStackOfAPlatformThreadThatTraced() throws Exception {
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment().config("dd.trace.writer", "none")
                .build()) {
            ExecutorService platform = Executors.newSingleThreadExecutor(task -> new Thread(task, "probe-check"));
            try {
                platform.submit(() -> tracer.trace("on.platform").finish()).get(10, TimeUnit.SECONDS);
                List<String> found = CarrierThreads.tracedThreadLocals(
                        CarrierThreads.threads(t -> t.getName().equals("probe-check")));
                assertFalse(found.isEmpty(), "the probe can see the library's thread locals: " + found);
            } finally {
                platform.shutdownNow();
            }
        }
    }
}
