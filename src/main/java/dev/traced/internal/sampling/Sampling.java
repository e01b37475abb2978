package dev.traced.internal.sampling;

import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.PendingTrace;
import dev.traced.internal.trace.TraceSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides the sampling priority of a trace on its local root, once: when the root finishes or the
 * context is first injected into an outgoing request. Manual keep/drop ({@code manual.keep},
 * {@code manual.drop}) is applied by the trace itself and wins over this.
 *
 * <p>In order, as dd-trace-java: the first matching rule of {@code dd.trace.sampling.rules}, then the
 * catch-all rule of {@code dd.trace.sample.rate} (priority 2 or -1, {@code _dd.p.dm=-3},
 * {@code _dd.rule_psr}; kept traces limited to {@code dd.trace.rate.limit} a second, with
 * {@code _dd.limit_psr}); otherwise the Agent's rate for the root's service (priority 1 or 0,
 * {@code _dd.p.dm=-1}, {@code _dd.agent_psr}), 1.0 until the Agent sends rates. Every rate decides
 * deterministically from the trace id ({@link DeterministicSampler}).
 */
public final class Sampling {

    public static final int USER_DROP = PendingTrace.USER_DROP;
    public static final int SAMPLER_DROP = PendingTrace.SAMPLER_DROP;
    public static final int SAMPLER_KEEP = PendingTrace.SAMPLER_KEEP;
    public static final int USER_KEEP = PendingTrace.USER_KEEP;
    /** {@code _dd.p.dm} mechanism of the Agent's rates. */
    public static final int AGENT_RATE = 1;
    /** {@code _dd.p.dm} mechanism of local rules and {@code dd.trace.sample.rate}. */
    public static final int LOCAL_USER_RULE = 3;

    private static final RateLimitedLog LOG = RateLimitedLog.of(Sampling.class);

    private final String env;
    /** Explicit rules first, then the catch-all rule of dd.trace.sample.rate; an array for a tight loop. */
    private final SamplingRule[] rules;
    private final RateLimiter limiter;
    private volatile AgentRates agentRates = AgentRates.INITIAL;
    private final LongSupplier nanoTime;
    /** When the Agent's rates were last applied; the writer's send lane only. */
    private long ratesAppliedAt;

    public Sampling(Config config) {
        this(config, System::nanoTime);
    }

    Sampling(Config config, LongSupplier nanoTime) {
        this.env = TraceSettings.from(config).env();
        int rateLimit = config.getInt("dd.trace.rate.limit", 100, 0, 1_000_000);
        List<SamplingRule> all = new ArrayList<>(
                SamplingRules.parse(config.getString("dd.trace.sampling.rules", null), rateLimit));
        String sampleRate = config.raw("dd.trace.sample.rate");
        if (sampleRate != null) {
            all.add(SamplingRule.everything(config.getDouble("dd.trace.sample.rate", 1.0, 0.0, 1.0), rateLimit));
        }
        this.rules = all.toArray(new SamplingRule[0]);
        this.limiter = new RateLimiter(rateLimit, nanoTime);
        this.nanoTime = nanoTime;
        this.ratesAppliedAt = nanoTime.getAsLong();
    }

    /**
     * Takes the rates of the Agent's latest answer ({@code rate_by_service}, keys such as
     * {@code service:web,env:prod}); called by the writer's send lane. A rate that falls applies at
     * once; one that rises does so at most twice per second since the previous answer, as Datadog's
     * tracers do, so that a burst of answers cannot flood the Agent. Never throws.
     */
    public void updateAgentRates(Map<String, Double> rateByService) {
        if (rateByService == null) {
            return;
        }
        try {
            long now = nanoTime.getAsLong();
            agentRates = AgentRates.from(rateByService, env).riseLimited(agentRates, now - ratesAppliedAt);
            ratesAppliedAt = now;
        } catch (RuntimeException e) {
            LOG.warn("agent-rates", e, "could not read the Agent's sampling rates; keeping the previous ones");
        }
    }

    /** The Agent's rate in effect for a root span of this service (for tests). */
    double agentRate(String service) {
        return agentRates.rateFor(service).rate;
    }

    /** Sets the trace's priority unless it is already decided. Never throws. */
    public void decide(PendingTrace trace) {
        try {
            if (trace.isPriorityLocked()) {
                return;
            }
            CoreSpan root = trace.localRoot();
            if (root == null) {
                return;
            }
            SamplingDecision decision = decisionFor(root);
            if (trace.setSamplingDecision(decision.priority(), decision.mechanism(), decision.rateKey(),
                    decision.rate()) && !Double.isNaN(decision.limitRate())) {
                trace.putRootMetric("_dd.limit_psr", decision.limitRate());
            }
        } catch (RuntimeException e) {
            LOG.warn("decide-failed", e, "could not decide a trace's sampling priority; it keeps the default");
        }
    }

    /** {@link #decisionFor}, or null (logged) if deciding failed. Never throws. */
    public SamplingDecision decisionOrNull(CoreSpan root) {
        try {
            return decisionFor(root);
        } catch (RuntimeException e) {
            LOG.warn("decide-failed", e, "could not decide a trace's sampling priority; it keeps the default");
            return null;
        }
    }

    /**
     * The decision for a trace with this local root, without recording it: the first matching rule,
     * else the Agent's rate. Allocates nothing; takes a rate-limiter token when a rule keeps the trace.
     */
    public SamplingDecision decisionFor(CoreSpan root) {
        long traceIdLow = root.traceIdLow();
        String service = root.service();
        if (rules.length > 0) {
            String name = root.operationName();
            String resource = root.resource();
            for (SamplingRule rule : rules) {
                if (rule.matches(root, service, name, resource)) {
                    return rule.decide(traceIdLow, limiter);
                }
            }
        }
        return agentRates.rateFor(service).decide(traceIdLow);
    }
}
