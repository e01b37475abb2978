package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.internal.writer.AgentWriter;
import dev.traced.internal.writer.DropCounter.Reason;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.traced.writer.WriterTestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Agent that says {@code client_drop_p0s: true} lets a tracer drop rejected traces only if the
 * tracer computes the stats itself; without client-side stats every trace must still be sent.
 */
class ClientDropP0sTest {

    private TestAgent agent;
    private CloseableTracer tracer;

    @AfterEach
    void stop() {
        if (tracer != null) {
            tracer.close();
        }
        agent.close();
    }

    @Test
    void withoutClientStatsEveryRejectedTraceIsStillSent() throws Exception {
        agent = TestAgent.start().clientDropsP0s(true);
        tracer = WriterTestSupport.tracer(agent, Map.of("dd.trace.sample.rate", "0.1",
                "dd.trace.stats.computation.enabled", "false"));
        AgentWriter writer = WriterTestSupport.writer(tracer);
        // The first payload makes the writer read /info.
        WriterTestSupport.finishTraces(tracer, "warm-up", 1);
        assertTrue(tracer.flush(WAIT));
        agent.awaitSpans(1, WAIT);

        int traces = 500;
        for (int i = 0; i < traces; i++) {
            try (Span span = tracer.trace("web.request")) {
                if (i % 10 == 0) {
                    span.setError(true);
                }
            }
        }
        assertTrue(tracer.flush(WAIT));
        List<DecodedSpan> spans = agent.awaitSpans(1 + traces, WAIT);
        assertEquals(List.of(), agent.errors());
        assertEquals(traces, spans.stream().filter(s -> s.name().equals("web.request")).count());
        assertEquals(traces / 10, spans.stream().filter(s -> s.name().equals("web.request") && s.error() == 1).count());
        assertTrue(spans.stream().anyMatch(s -> s.metrics().get("_sampling_priority_v1").intValue() < 0),
                "some traces were rejected by the sampler");
        assertEquals(0, writer.drops().traces(Reason.P0));
        for (TestAgent.Request request : agent.traceRequests()) {
            assertEquals("0", request.header("Datadog-Client-Dropped-P0-Traces"));
            String computed = request.header("Datadog-Client-Computed-Stats");
            assertTrue(computed == null || computed.isEmpty(), "no Datadog-Client-Computed-Stats: " + computed);
        }
    }
}
