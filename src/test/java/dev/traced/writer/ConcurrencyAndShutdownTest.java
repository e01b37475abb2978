package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.Span;
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

import static dev.traced.writer.WriterTestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrencyAndShutdownTest {

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
            assertTrue(tracer.flush(WAIT));
            AgentWriter writer = WriterTestSupport.writer(tracer);
            assertEquals(0, writer.drops().totalTraces(), writer.drops().toString());
        }
        List<DecodedSpan> spans = agent.awaitSpans(threads * perThread, WAIT);
        assertEquals(List.of(), agent.errors());
        assertEquals(threads * perThread, spans.size(), "no span twice");
        Set<Long> received = new HashSet<>();
        for (DecodedSpan span : spans) {
            received.add(span.spanId());
        }
        assertEquals(written, received, "every span exactly once");
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
