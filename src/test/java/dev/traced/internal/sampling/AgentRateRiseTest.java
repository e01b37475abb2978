package dev.traced.internal.sampling;

import dev.traced.internal.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Agent's rates fall at once and rise at most 2x per second, on a clock the test moves. */
class AgentRateRiseTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(5 * SECOND);
    private final Sampling sampling = new Sampling(Config.of(Map.of("dd.service", "shop", "dd.env", "prod")),
            clock::get);

    private void answer(double shop, double fallback) {
        sampling.updateAgentRates(Map.of("service:shop,env:prod", shop, "service:,env:", fallback));
    }

    @Test
    void aRateFallsAtOnceAndRisesAtMostTwicePerSecond() {
        answer(0.1, 1.0);
        assertEquals(0.1, sampling.agentRate("shop"), 1e-12, "a fall applies at once");

        clock.addAndGet(SECOND / 2);
        answer(1.0, 1.0);
        assertEquals(0.1 * Math.sqrt(2), sampling.agentRate("shop"), 1e-12, "half a second: x sqrt(2)");

        clock.addAndGet(SECOND);
        answer(1.0, 1.0);
        assertEquals(0.2 * Math.sqrt(2), sampling.agentRate("shop"), 1e-12, "one more second: x2");

        clock.addAndGet(10 * SECOND);
        answer(1.0, 1.0);
        assertEquals(1.0, sampling.agentRate("shop"), 1e-12, "never above what the Agent asks");

        answer(0.05, 1.0);
        assertEquals(0.05, sampling.agentRate("shop"), 1e-12);
        answer(1.0, 1.0);
        assertEquals(0.05, sampling.agentRate("shop"), 1e-12, "answers in the same instant cannot raise it");
    }

    @Test
    void aRateOfZeroComesBackFromTheFloor() {
        answer(0.0, 0.0);
        assertEquals(0.0, sampling.agentRate("shop"));
        assertEquals(0.0, sampling.agentRate("other"));
        clock.addAndGet(SECOND);
        answer(1.0, 1.0);
        assertEquals(2 * AgentRates.RISE_FLOOR, sampling.agentRate("shop"), 1e-12);
        assertEquals(2 * AgentRates.RISE_FLOOR, sampling.agentRate("other"), 1e-12, "the default rate too");
    }

    @Test
    void aServiceTheAgentStopsNamingGetsTheDefaultRateLimitedTheSameWay() {
        answer(0.1, 1.0);
        clock.addAndGet(SECOND);
        sampling.updateAgentRates(Map.of("service:,env:", 1.0));
        assertEquals(0.2, sampling.agentRate("shop"), 1e-12);
        assertEquals(1.0, sampling.agentRate("other"), 1e-12);
    }
}
