package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Agent's {@code rate_by_service} answer reaches the sampler and changes the next decisions. */
class AgentRatesTest {

    @Test
    void agentRatesChangeLaterDecisions() throws Exception {
        try (TestAgent agent = TestAgent.start();
             CloseableTracer tracer = WriterTestSupport.tracer(agent, Map.of())) {
            agent.answer(200, "{\"rate_by_service\":{\"service:sandwich-shop,env:test\":0.0,\"service:,env:\":1.0}}");
            WriterTestSupport.finishTraces(tracer, "before", 1);
            List<DecodedSpan> first = agent.awaitSpans(1, WriterTestSupport.WAIT);
            assertEquals(1.0, first.get(0).metrics().get("_sampling_priority_v1").doubleValue());
            assertEquals(1.0, first.get(0).metrics().get("_dd.agent_psr").doubleValue());
            // The writer applies the answer after reading it, so a trace or two may still be decided
            // with the initial rate; once the rate is in effect, every later trace of sandwich-shop/test
            // is sampled out at rate 0 and still sent (the Agent did not ask for client-side P0 drops).
            int sent = 1;
            boolean applied = false;
            for (int attempt = 0; attempt < 200 && !applied; attempt++) {
                WriterTestSupport.finishTraces(tracer, "probe", 1);
                sent++;
                DecodedSpan probe = agent.awaitSpans(sent, WriterTestSupport.WAIT).get(sent - 1);
                applied = probe.metrics().get("_sampling_priority_v1").doubleValue() == 0.0;
            }
            assertTrue(applied, "the Agent's rate 0 never took effect");
            WriterTestSupport.finishTraces(tracer, "after", 5);
            List<DecodedSpan> spans = agent.awaitSpans(sent + 5, WriterTestSupport.WAIT);
            for (DecodedSpan after : spans.stream().filter(s -> s.name().equals("after")).toList()) {
                assertEquals(0.0, after.metrics().get("_sampling_priority_v1").doubleValue(), after.toString());
                assertEquals(0.0, after.metrics().get("_dd.agent_psr").doubleValue());
                assertTrue(!after.meta().containsKey("_dd.p.dm"), "no decision maker on a dropped trace");
            }
            assertTrue(agent.errors().isEmpty(), agent.errors().toString());
        }
    }
}
