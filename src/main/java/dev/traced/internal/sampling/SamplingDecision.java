package dev.traced.internal.sampling;

/**
 * What a sampler decided for a trace: the priority, the {@code _dd.p.dm} mechanism, and the rate
 * metric written on the local root. Samplers build their few possible decisions up front, so
 * deciding allocates nothing.
 *
 * @param priority  the sampling priority (-1, 0, 1 or 2)
 * @param mechanism the decision maker ({@code _dd.p.dm} is {@code -mechanism}, kept only when priority &gt; 0)
 * @param rateKey   {@code _dd.agent_psr} or {@code _dd.rule_psr}
 * @param rate      the rate that sampler applied
 * @param limitRate the {@code _dd.limit_psr} value when the rate limiter was consulted, else NaN
 */
public record SamplingDecision(int priority, int mechanism, String rateKey, double rate, double limitRate) {
}
