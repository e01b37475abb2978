package dev.traced.internal.sampling;

import dev.traced.internal.config.Config;
import dev.traced.internal.trace.PendingTrace;

/**
 * Decides the sampling priority of a trace on its local root, once: when the root finishes or
 * the context is first injected into an outgoing request.
 *
 * <p>Until the Agent sends rates, every trace is kept at rate 1.0 by the agent-rate mechanism,
 * as dd-trace-java does.
 */
public final class Sampling {

    /** {@code _dd.p.dm} mechanism of the Agent's rates. */
    public static final int AGENT_RATE = 1;

    public Sampling(Config config) {
    }

    /**
     * Takes the rates of the Agent's latest answer ({@code rate_by_service}, keys such as
     * {@code service:web,env:prod}); called by the writer's thread.
     */
    public void updateAgentRates(java.util.Map<String, Double> rateByService) {
    }

    /** Sets the trace's priority unless it is already decided. Never throws. */
    public void decide(PendingTrace trace) {
        if (trace.isPriorityLocked()) {
            return;
        }
        if (trace.setSamplingDecision(PendingTrace.SAMPLER_KEEP, AGENT_RATE)) {
            trace.setSamplingRate("_dd.agent_psr", 1.0);
        }
    }
}
