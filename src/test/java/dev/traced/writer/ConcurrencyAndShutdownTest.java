package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.writer.AgentWriter;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.traced.writer.WriterTestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrencyAndShutdownTest {

    private static final java.time.Duration LONG_WAIT = java.time.Duration.ofSeconds(90);

    private TestAgent agent;

    @BeforeEach
    void start() {
        agent = TestAgent.start();
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void sixteenThreadsTimesTenThousandTracesArriveExactlyOnce() throws Exception {
        int threads = 16;
        int perThread = 10_000;
        Set<Long> written = ConcurrentHashMap.newKeySet();
        try (CloseableTracer tracer = WriterTestSupport.tracer(agent,
                Map.of("dd.trace.writer.queue.size", Integer.toString(threads * perThread)))) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        Span span = tracer.trace("concurrent");
                        written.add(Long.parseUnsignedLong(span.context().spanId(), 16));
                        span.finish();
                    }
                }, "app-" + t);
                workers.add(worker);
                worker.start();
            }
            go.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            // 160,000 spans through the test Agent's strict decoder: on a 2-core machine shared with
            // other builds (load 20-30) that alone takes more than WAIT, with the old writer as well.
            assertTrue(tracer.flush(LONG_WAIT), "not delivered within " + LONG_WAIT);
            AgentWriter writer = WriterTestSupport.writer(tracer);
            assertEquals(0, writer.drops().totalTraces(), writer.drops().toString());
        }
        List<DecodedSpan> spans = agent.awaitSpans(threads * perThread, LONG_WAIT);
        assertEquals(List.of(), agent.errors());
        assertEquals(threads * perThread, spans.size(), "no span twice");
        Set<Long> received = new HashSet<>();
        for (DecodedSpan span : spans) {
            received.add(span.spanId());
        }
        assertEquals(written, received, "every span exactly once");
    }

    @Test
    void runsOnTheGivenSchedulerAndLeavesItRunning() throws Exception {
        Set<String> senders = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService managed = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(() -> {
                senders.add(Thread.currentThread().getName());
                runnable.run();
            }, "managed-" + senders.size());
            thread.setDaemon(true);
            return thread;
        });
        try {
            CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                    .config("dd.trace.agent.url", agent.url()).config("dd.trace.flush.interval", "60")
                    .scheduler(managed).build();
            WriterTestSupport.finishTraces(tracer, "managed", 10);
            tracer.close();
            assertEquals(10, agent.awaitSpans(10, WAIT).size());
            assertFalse(managed.isShutdown(), "the container's executor is the container's to stop");
            assertFalse(senders.isEmpty(), "the writer's tasks ran on the given executor");
        } finally {
            managed.shutdownNow();
        }
    }

    @Test
    void onTheContainersSchedulerTracesGoOutAtTheFlushIntervalWithoutAFlush() throws Exception {
        // A container-managed scheduler (WildFly's, Open Liberty's): a few traces and no flush, as a
        // quiet application; they must leave at the flush interval, not wait for a flush or a full queue.
        ScheduledExecutorService managed = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "managed");
            thread.setDaemon(true);
            return thread;
        });
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.trace.agent.url", agent.url()).config("dd.trace.flush.interval", "0.2")
                .scheduler(managed).build()) {
            WriterTestSupport.finishTraces(tracer, "quiet", 3);
            assertEquals(3, agent.awaitSpans(3, WAIT).size());
        } finally {
            managed.shutdownNow();
        }
    }

    @Test
    void closeSendsEveryFinishedTrace() throws Exception {
        CloseableTracer tracer = WriterTestSupport.tracer(agent, Map.of("dd.trace.flush.interval", "60"));
        WriterTestSupport.finishTraces(tracer, "before-shutdown", 300);
        tracer.close(); // no flush before: close must send them
        List<DecodedSpan> spans = agent.awaitSpans(300, WAIT);
        assertEquals(300, spans.size());
        assertEquals(List.of(), agent.errors());
    }
}
