package dev.traced.internal.writer;

import dev.traced.internal.config.Config;
import dev.traced.internal.sampling.Sampling;
import dev.traced.internal.stats.ClientStats;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.transport.AgentAddress;
import dev.traced.internal.transport.AgentApi;
import dev.traced.internal.writer.DropCounter.Reason;
import dev.traced.Span;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer's draining and accounting, step by step: the writer's passes and the send lane run on
 * {@link ManualExecutor}s that the test drives, against the real {@link TestAgent}. So "a payload is
 * in flight" means the lane has not run yet, and whether the queue empties meanwhile is decided by
 * the code, not by thread timing.
 */
class WriterDrainTest {

    private static final Duration NEVER = Duration.ofMinutes(10);

    private final TestAgent agent = TestAgent.start();
    private final ManualExecutor writerThread = new ManualExecutor();
    private final ManualExecutor sendLane = new ManualExecutor();
    private AgentWriter writer;
    private CoreTracer tracer;

    @AfterEach
    void stop() {
        agent.close();
    }

    private void start(int queueSize, int bufferCapBytes) {
        Config config = Config.of(Map.of("dd.service", "drain", "dd.env", "test",
                "dd.trace.agent.url", agent.url(), "dd.trace.agent.timeout", "10"));
        Sampling sampling = new Sampling(config);
        AgentApi api = new AgentApi(AgentAddress.fromConfig(config).openTransport());
        // A flush interval that never passes: payloads go when full or on flush, as the test says.
        writer = new AgentWriter(api, sampling, ClientStats.fromConfig(config, Duration.ofSeconds(10)), writerThread,
                sendLane, queueSize, bufferCapBytes, NEVER, Duration.ofSeconds(10));
        tracer = new CoreTracer(config, writer, sampling);
        // The first /info, as the writer has it asked: on the send lane, before it takes a trace.
        requestFlush();
        writerThread.runAll();
        assertEquals(1, sendLane.pending(), "the writer asked /info on the lane, not itself");
        sendLane.runAll(); // answered: wakes the writer
        writerThread.runAll();
        sendLane.runAll(); // the empty flush answered
        assertEquals(0, writerThread.pending() + sendLane.pending());
    }

    private void finishTraces(int count) {
        for (int i = 0; i < count; i++) {
            tracer.trace("drain.op").finish();
        }
    }

    /** What the test thread does where a caller of flush would wait: asks, returns at once. */
    private void requestFlush() {
        assertEquals(false, writer.flush(Duration.ZERO), "nothing ran yet, so the flush cannot be done");
    }

    @Test
    void anApplicationThreadWakesTheWriterWhenAnEighthOfTheQueueIsUsed() {
        start(64, TraceEncoderCap.LARGE);
        finishTraces(7);
        assertEquals(0, writerThread.pending(), "below the mark, traces wait for the interval");
        finishTraces(1);
        assertEquals(1, writerThread.pending(), "the 8th trace of 64 wakes the writer");
        finishTraces(20);
        assertEquals(1, writerThread.pending(), "one wake at a time");
        writerThread.runAll();
        assertEquals(0, writer.queued());
    }

    @Test
    void theQueueKeepsDrainingWhileAPayloadWaitsForTheAgent() throws Exception {
        start(64, TraceEncoderCap.LARGE);
        finishTraces(10);
        requestFlush();
        writerThread.runAll(); // the first payload goes to the lane, which does not run: in flight
        assertEquals(1, sendLane.pending());

        // A paced producer: 48 traces per step (3/4 of the queue), the writer runs once per step.
        for (int step = 0; step < 20; step++) {
            finishTraces(48);
            assertTrue(writer.queued() <= 48, "the queue holds one step at most");
            writerThread.runAll();
            assertEquals(0, writer.queued(), "drained although the first payload is not answered");
        }
        assertEquals(0, writer.drops().totalTraces(), writer.drops().toString());
        assertEquals(0, agent.traceRequests().size(), "nothing answered yet");

        sendLane.runAll();
        requestFlush();
        writerThread.runAll();
        sendLane.runAll();
        assertEquals(10 + 20 * 48, agent.spans().size());
        assertEquals(10 + 20 * 48, writer.sentTraces());
        assertEquals(0, writer.drops().totalTraces());
        assertEquals(List.of(), agent.errors());
    }

    @Test
    void aBurstTheSizeOfTheQueueIsAbsorbedWhilePayloadsAreInFlight() throws Exception {
        start(256, TraceEncoderCap.LARGE);
        finishTraces(1);
        requestFlush();
        writerThread.runAll();
        for (int burst = 0; burst < 5; burst++) {
            finishTraces(256); // all at once, the writer not running meanwhile
            assertEquals(256, writer.queued());
            writerThread.runAll();
        }
        assertEquals(0, writer.drops().totalTraces());
        requestFlush();
        writerThread.runAll();
        sendLane.runAll();
        assertEquals(1 + 5 * 256, agent.spans().size());
    }

    @Test
    void whenEveryBufferIsInFlightTheQueueBoundsMemoryAndTheDropsAreReportedLater() throws Exception {
        // Payloads of about two traces: the in-flight limit is reached after a handful.
        start(16, 1024);
        finishTraces(16);
        writerThread.runAll();
        // Two payloads handed and unanswered, one being filled: the writer stops taking traces.
        assertEquals(WriterLoop.PAYLOADS_IN_FLIGHT, countDeliveries());
        int queuedBefore = writer.queued();
        finishTraces(40);
        writerThread.runAll();
        assertEquals(16, writer.queued(), "the queue fills up to its bound, no further");
        long refused = 40 - (16 - queuedBefore);
        assertEquals(refused, writer.drops().traces(Reason.QUEUE_FULL));

        // The Agent answers: everything still held is sent, and a payload it accepts carries the drops.
        for (int round = 0; writer.payloadsInFlight() > 0 || writer.queued() > 0; round++) {
            assertTrue(round < 100, "no progress: queued " + writer.queued() + ", in flight " + writer.payloadsInFlight()
                    + ", lane tasks " + sendLane.pending());
            sendLane.runAll();
            requestFlush();
            writerThread.runAll();
        }
        sendLane.runAll();
        assertEquals(56 - refused, agent.spans().size());
        assertEquals(refused, sumAccepted("Datadog-Client-Dropped-P0-Traces"));
        assertEquals(refused, sumAccepted("Datadog-Client-Dropped-P0-Spans"));
    }

    @Test
    void countsSentWithAFailedPayloadGoWithTheNextOneTheAgentAccepts() throws Exception {
        start(4, TraceEncoderCap.LARGE);
        finishTraces(7); // the writer does not run: 3 are refused by the full queue
        assertEquals(3, writer.drops().traces(Reason.QUEUE_FULL));

        agent.answer(500, "down for maintenance");
        requestFlush();
        writerThread.runAll();
        sendLane.runAll(); // 500, retried, then dropped: its 4 traces count too
        assertEquals(4, writer.drops().traces(Reason.SEND_FAILED));
        List<TestAgent.Request> failed = agent.traceRequests();
        assertTrue(failed.size() >= 1);
        for (TestAgent.Request request : failed) {
            assertEquals(500, request.status());
            assertEquals("3", request.header("Datadog-Client-Dropped-P0-Traces"), "each attempt carries the drops");
        }

        agent.healthy();
        finishTraces(2);
        requestFlush();
        writerThread.runAll();
        sendLane.runAll();
        TestAgent.Request accepted = agent.traceRequests().get(agent.traceRequests().size() - 1);
        assertEquals(200, accepted.status());
        assertEquals("7", accepted.header("Datadog-Client-Dropped-P0-Traces"), "3 refused + 4 failed, carried again");
        assertEquals("7", accepted.header("Datadog-Client-Dropped-P0-Spans"));

        finishTraces(1);
        requestFlush();
        writerThread.runAll();
        sendLane.runAll();
        TestAgent.Request next = agent.traceRequests().get(agent.traceRequests().size() - 1);
        assertEquals("0", next.header("Datadog-Client-Dropped-P0-Traces"), "reported once, not twice");
        assertEquals(writer.drops().totalTraces(), sumAccepted("Datadog-Client-Dropped-P0-Traces"));
    }

    @Test
    void aFlushIsAnsweredOnlyAfterItsPayloadWasSent() throws Exception {
        start(64, TraceEncoderCap.LARGE);
        finishTraces(3);
        CompletableFuture<Boolean> done = flushFromAnotherThread();
        writerThread.runAll();
        assertTrue(!done.isDone(), "encoded and handed over, not sent yet");
        sendLane.runAll();
        assertTrue(done.get());
        assertEquals(3, agent.spans().size());
    }

    @Test
    void clientStatsAreEncodedOnTheWritersThreadAndSentOnTheLaneBeforeTheFlushIsAnswered() throws Exception {
        agent.announce(true, true, List.of(), List.of());
        start(64, TraceEncoderCap.LARGE);
        finishTraces(5);
        CompletableFuture<Boolean> done = flushFromAnotherThread();
        writerThread.runAll();
        assertTrue(writer.stats().active(), "the first pass read /info, and counts these traces");
        assertEquals(List.of(), agent.stats(), "nothing sent from the writer's thread");
        assertEquals(0, agent.traceRequests().size());
        assertTrue(!done.isDone());

        sendLane.runAll();
        assertTrue(done.get());
        assertEquals(1, agent.stats().size(), "the stats went before the flush was answered");
        assertEquals(5, agent.stats().get(0).buckets().stream().flatMap(b -> b.groups().stream())
                .mapToLong(g -> g.hits()).sum(), "the five root spans, counted");
        assertEquals(List.of(), agent.errors());
    }

    @Test
    void tracesWaitForTheFirstInfoOnlyUntilTheQueueIsHalfFull() throws Exception {
        agent.announceSpanEvents();
        Config config = Config.of(Map.of("dd.service", "drain", "dd.env", "test",
                "dd.trace.agent.url", agent.url(), "dd.trace.agent.timeout", "10"));
        Sampling sampling = new Sampling(config);
        AgentApi api = new AgentApi(AgentAddress.fromConfig(config).openTransport());
        writer = new AgentWriter(api, sampling, ClientStats.fromConfig(config, Duration.ofSeconds(10)), writerThread,
                sendLane, 64, TraceEncoderCap.LARGE, NEVER, Duration.ofSeconds(10));
        tracer = new CoreTracer(config, writer, sampling);

        finishTraces(8); // an eighth: wakes the writer
        writerThread.runAll();
        assertEquals(8, writer.queued(), "the writer waits for /info, which it does not ask itself");
        assertEquals(1, sendLane.pending(), "/info is asked on the lane");
        finishTraces(23);
        assertEquals(0, writerThread.pending(), "no futile wake while it waits");
        Span before = tracer.trace("before-info");
        before.addEvent("retry", null);
        before.finish(); // half the queue: the writer goes on without the answer rather than drop traces
        assertEquals(1, writerThread.pending());
        writerThread.runAll();
        assertEquals(0, writer.queued());
        assertEquals(0, writer.drops().totalTraces());

        sendLane.runAll(); // /info answered now
        Span after = tracer.trace("after-info");
        after.addEvent("retry", null);
        after.finish();
        requestFlush();
        writerThread.runAll();
        sendLane.runAll();
        assertEquals(33, agent.spans().size());
        assertEquals(List.of(), agent.errors());
        DecodedSpan sentBefore = agent.spans().stream().filter(s -> s.name().equals("before-info")).findFirst()
                .orElseThrow();
        assertTrue(sentBefore.meta().containsKey("events"), "before the answer: the tag form, which every Agent reads");
        DecodedSpan sentAfter = agent.spans().stream().filter(s -> s.name().equals("after-info")).findFirst()
                .orElseThrow();
        assertEquals(1, sentAfter.spanEvents().size(), "after it: the native form this Agent announced");
    }

    private long countDeliveries() {
        return writer.payloadsInFlight();
    }

    private long sumAccepted(String header) {
        return agent.traceRequests().stream().filter(r -> r.status() == 200).mapToLong(r -> r.longHeader(header)).sum();
    }

    /** Buffer caps for the tests. */
    private static final class TraceEncoderCap {
        /** Never full in these tests: payloads go on flush. */
        static final int LARGE = 5 << 20;
    }

    /**
     * Asks for a flush on a thread of its own (flush waits for the writer, which these tests drive by
     * hand) and returns once the writer has the request; the future completes with flush's answer.
     */
    private CompletableFuture<Boolean> flushFromAnotherThread() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        Thread caller = new Thread(() -> done.complete(writer.flush(Duration.ofMinutes(1))), "flush-caller");
        caller.setDaemon(true);
        caller.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (writerThread.pending() == 0) {
            assertTrue(System.nanoTime() - deadline < 0, "the flush request never reached the writer");
            Thread.onSpinWait();
        }
        return done;
    }
}
