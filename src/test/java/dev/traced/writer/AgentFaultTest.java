package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.internal.writer.AgentWriter;
import dev.traced.internal.writer.DropCounter.Reason;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.traced.writer.WriterTestSupport.WAIT;
import static dev.traced.writer.WriterTestSupport.awaitValue;
import static dev.traced.writer.WriterTestSupport.finishTraces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the writer does when the Agent misbehaves. In each case the application thread (the test
 * thread) only finishes spans and goes on, whatever the Agent does: nothing it calls waits for the
 * Agent. Every trace is either delivered or counted as dropped, the queue bounds what is held, and
 * traces written after the Agent recovers arrive.
 */
class AgentFaultTest {

    private TestAgent agent;
    private CloseableTracer tracer;

    @AfterEach
    void stop() {
        if (tracer != null) {
            tracer.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    private AgentWriter start(Map<String, String> extra) {
        agent = TestAgent.start();
        tracer = WriterTestSupport.tracer(agent, extra);
        return WriterTestSupport.writer(tracer);
    }

    /** Traces after recovery arrive, decoded without errors. */
    private void assertRecovers(String name, int count) throws InterruptedException {
        agent.healthy();
        finishTraces(tracer, name, count);
        tracer.flush(WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (agent.spans().stream().filter(s -> s.name().equals(name)).count() < count) {
            assertTrue(System.nanoTime() < deadline, "traces after recovery did not arrive: " + agent.spans().size());
            Thread.sleep(10);
        }
        assertEquals(List.of(), agent.errors());
    }

    @Test
    void agentAbsentAtStartThenComesUp() throws Exception {
        AgentWriter writer = start(Map.of("dd.trace.writer.queue.size", "8"));
        agent.stop();

        finishTraces(tracer, "while-absent", 50);

        awaitValue("dropped while absent", 50, () -> writer.drops().totalTraces());
        assertEquals(50, writer.drops().traces(Reason.QUEUE_FULL) + writer.drops().traces(Reason.SEND_FAILED));
        assertEquals(0, writer.sentTraces());

        agent.restart();
        assertRecovers("after-restart", 5);
        assertEquals(50, writer.drops().totalTraces(), "nothing more dropped once it is back");
        assertTrue(agent.spans().stream().noneMatch(s -> s.name().equals("while-absent")));
    }

    @Test
    void agentGoesAwayMidRunAndComesBack() throws Exception {
        AgentWriter writer = start(Map.of());
        finishTraces(tracer, "before", 3);
        tracer.flush(WAIT);
        agent.awaitSpans(3, WAIT);

        agent.stop();
        finishTraces(tracer, "while-away", 5);
        tracer.flush(WAIT);
        awaitValue("dropped while away", 5, () -> writer.drops().traces(Reason.SEND_FAILED));

        agent.restart();
        assertRecovers("after", 4);
        assertEquals(5, writer.drops().totalTraces());
    }

    @Test
    void status500IsRetriedThenSucceeds() throws Exception {
        AgentWriter writer = start(Map.of("dd.trace.flush.interval", "5"));
        agent.answerNext(500, 500);
        finishTraces(tracer, "retried", 3);
        assertTrue(tracer.flush(WAIT));
        agent.awaitSpans(3, WAIT);
        assertEquals(2, agent.statusCounts().get(500));
        assertEquals(0, writer.drops().totalTraces());
    }

    @Test
    void status500EveryTimeIsDroppedAfterThreeAttempts() throws Exception {
        AgentWriter writer = start(Map.of("dd.trace.flush.interval", "5"));
        agent.answer(500, "oops");
        finishTraces(tracer, "failing", 4);
        tracer.flush(WAIT);
        assertEquals(4, writer.drops().traces(Reason.SEND_FAILED));
        assertEquals(3, agent.statusCounts().get(500), "3 attempts, no more");
        assertRecovers("after", 2);
    }

    @Test
    void status429IsRetried() throws Exception {
        AgentWriter writer = start(Map.of("dd.trace.flush.interval", "5"));
        agent.answerNext(429);
        finishTraces(tracer, "busy", 2);
        tracer.flush(WAIT);
        agent.awaitSpans(2, WAIT);
        assertEquals(1, agent.statusCounts().get(429));
        assertEquals(0, writer.drops().totalTraces());
    }

    @Test
    void status413SplitsThePayloadInHalvesOnce() throws Exception {
        AgentWriter writer = start(Map.of("dd.trace.flush.interval", "5"));
        agent.answerNext(413);
        finishTraces(tracer, "big", 6);
        tracer.flush(WAIT);
        agent.awaitSpans(6, WAIT);
        List<TestAgent.Request> accepted = agent.traceRequests().stream().filter(r -> !r.traces().isEmpty()).toList();
        assertEquals(2, accepted.size());
        assertEquals("3", accepted.get(0).header("X-Datadog-Trace-Count"));
        assertEquals("3", accepted.get(1).header("X-Datadog-Trace-Count"));
        assertEquals(0, writer.drops().totalTraces());

        agent.answer(413, "payload-too-large");
        finishTraces(tracer, "too-big", 4);
        tracer.flush(WAIT);
        assertEquals(4, writer.drops().traces(Reason.AGENT_REJECTED));
        assertRecovers("after", 2);
    }

    @Test
    void status400DropsThePayloadWithoutRetry() throws Exception {
        AgentWriter writer = start(Map.of("dd.trace.flush.interval", "5"));
        agent.answerNext(400);
        finishTraces(tracer, "rejected", 3);
        tracer.flush(WAIT);
        assertEquals(3, writer.drops().traces(Reason.AGENT_REJECTED));
        assertEquals(1, agent.statusCounts().get(400));
        assertRecovers("after", 2);
    }

    @Test
    void status404RediscoversThroughInfo() throws Exception {
        AgentWriter writer = start(Map.of("dd.trace.flush.interval", "5"));
        finishTraces(tracer, "first", 1);
        tracer.flush(WAIT);
        agent.awaitSpans(1, WAIT);
        long infoCalls = agent.requests().stream().filter(r -> r.path().equals("/info")).count();

        agent.answerNext(404);
        finishTraces(tracer, "after-404", 2);
        tracer.flush(WAIT);
        agent.awaitSpans(3, WAIT);
        assertEquals(infoCalls + 1, agent.requests().stream().filter(r -> r.path().equals("/info")).count());
        assertEquals(0, writer.drops().totalTraces());
    }

    @Test
    void stalledAgentTimesOutAndTheQueueBoundsMemory() throws Exception {
        AgentWriter writer = start(Map.of("dd.trace.agent.timeout", "0.2", "dd.trace.writer.queue.size", "16"));
        agent.delay(Duration.ofSeconds(2));

        finishTraces(tracer, "stalled", 200);
        tracer.flush(Duration.ofMillis(100)); // the caller's own bound: returns even though the Agent stalls

        awaitValue("every stalled trace dropped", 200, () -> writer.drops().totalTraces());
        assertEquals(200, writer.drops().traces(Reason.QUEUE_FULL) + writer.drops().traces(Reason.SEND_FAILED));
        // How many of the 200 the queue refused depends on how fast the writer drained it while the
        // Agent stalled; that the queue never holds more than its capacity is TraceQueueTest's.
        assertRecovers("after", 3);
    }

    @Test
    void connectionClosedWithoutAnswerIsRetriedThenDropped() throws Exception {
        AgentWriter writer = start(Map.of("dd.trace.flush.interval", "5"));
        agent.mode(TestAgent.Mode.CLOSE_CONNECTION);
        finishTraces(tracer, "cut", 3);
        tracer.flush(WAIT);
        assertEquals(3, writer.drops().traces(Reason.SEND_FAILED));
        assertRecovers("after", 2);
    }

    @Test
    void garbageAnswerIsIgnored() throws Exception {
        AgentWriter writer = start(Map.of());
        agent.mode(TestAgent.Mode.GARBAGE);
        finishTraces(tracer, "garbage", 3);
        tracer.flush(WAIT);
        agent.awaitSpans(3, WAIT);
        assertEquals(0, writer.drops().totalTraces());
        assertEquals(3, writer.sentTraces());
        assertRecovers("after", 2);
    }
}
