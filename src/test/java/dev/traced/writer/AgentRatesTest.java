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
            agent.awaitSpans(1, WriterTestSupport.WAIT);
            // The rates are in effect once the first payload's answer was read; from then on the
            // sandwich-shop/test traces are sampled out at rate 0 and still sent (no client P0 drop).
            WriterTestSupport.finishTraces(tracer, "after", 5);
            List<DecodedSpan> spans = agent.awaitSpans(6, WriterTestSupport.WAIT);
            DecodedSpan before = spans.stream().filter(s -> s.name().equals("before")).findFirst().orElseThrow();
            assertEquals(1.0, before.metrics().get("_sampling_priority_v1").doubleValue());
            assertEquals(1.0, before.metrics().get("_dd.agent_psr").doubleValue());
            for (DecodedSpan after : spans.stream().filter(s -> s.name().equals("after")).toList()) {
                assertEquals(0.0, after.metrics().get("_sampling_priority_v1").doubleValue(), after.toString());
                assertEquals(0.0, after.metrics().get("_dd.agent_psr").doubleValue());
                assertTrue(!after.meta().containsKey("_dd.p.dm"), "no decision maker on a dropped trace");
            }
            assertTrue(agent.errors().isEmpty(), agent.errors().toString());
        }
    }
}
