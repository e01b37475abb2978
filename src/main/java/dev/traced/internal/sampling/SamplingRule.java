package dev.traced.internal.sampling;

import dev.traced.internal.trace.CoreSpan;

import java.util.Map;

/**
 * One rule of {@code dd.trace.sampling.rules} (or the catch-all rule of {@code dd.trace.sample.rate}):
 * globs on the local root's service, operation name, resource and tags, and the rate of the traces it
 * matches. The three decisions it can give are built once.
 */
final class SamplingRule {

    static final String RULE_RATE = "_dd.rule_psr";

    private final Glob service;
    private final Glob name;
    private final Glob resource;
    private final Map<String, Glob> tags;
    private final double rate;
    private final long cutoff;
    private final SamplingDecision keep;
    private final SamplingDecision drop;
    private final SamplingDecision limited;

    SamplingRule(Glob service, Glob name, Glob resource, Map<String, Glob> tags, double rate, int rateLimit) {
        this.service = service;
        this.name = name;
        this.resource = resource;
        this.tags = Map.copyOf(tags);
        this.rate = rate;
        this.cutoff = DeterministicSampler.cutoff(rate);
        // Java writes the configured limit as _dd.limit_psr when the limiter was consulted.
        this.keep = new SamplingDecision(Sampling.USER_KEEP, Sampling.LOCAL_USER_RULE, RULE_RATE, rate, rateLimit);
        this.limited = new SamplingDecision(Sampling.USER_DROP, Sampling.LOCAL_USER_RULE, RULE_RATE, rate, rateLimit);
        this.drop = new SamplingDecision(Sampling.USER_DROP, Sampling.LOCAL_USER_RULE, RULE_RATE, rate, Double.NaN);
    }

    /** The catch-all rule of {@code dd.trace.sample.rate}. */
    static SamplingRule everything(double rate, int rateLimit) {
        return new SamplingRule(Glob.ANY, Glob.ANY, Glob.ANY, Map.of(), rate, rateLimit);
    }

    double rate() {
        return rate;
    }

    /** True when the root, whose names the caller read once for all rules, matches this rule. */
    boolean matches(CoreSpan root, String rootService, String rootName, String rootResource) {
        if (!service.matches(rootService) || !name.matches(rootName) || !resource.matches(rootResource)) {
            return false;
        }
        for (Map.Entry<String, Glob> tag : tags.entrySet()) {
            if (!tag.getValue().matches(root.tagValue(tag.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The decision for a matching trace; consults the limiter only for a trace the rate keeps. */
    SamplingDecision decide(long traceIdLow, RateLimiter limiter) {
        if (!DeterministicSampler.keeps(traceIdLow, cutoff)) {
            return drop;
        }
        return limiter.tryAcquire() ? keep : limited;
    }

    @Override
    public String toString() {
        return "{service=" + service + ", name=" + name + ", resource=" + resource + ", tags=" + tags
                + ", sample_rate=" + rate + "}";
    }
}
