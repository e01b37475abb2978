package dev.traced.internal.sampling;

import dev.traced.internal.log.RateLimitedLog;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One answer of the Agent's {@code rate_by_service}, reduced to this tracer's env: the rate of each
 * service, and the default ({@code service:,env:}) for the others. Immutable: an update replaces the
 * whole snapshot, so deciding reads it without a lock.
 */
final class AgentRates {

    static final String AGENT_RATE = "_dd.agent_psr";
    private static final RateLimitedLog LOG = RateLimitedLog.of(AgentRates.class);
    private static final String DEFAULT_KEY = "service:,env:";
    /** A rate rising from below this rises as if from this (doubling from 0 would never leave 0). */
    static final double RISE_FLOOR = 0.001;

    /** The rate of one service, with its two decisions built once. */
    static final class Rate {
        final double rate;
        final long cutoff;
        final SamplingDecision keep;
        final SamplingDecision drop;

        Rate(double rate) {
            this.rate = rate;
            this.cutoff = DeterministicSampler.cutoff(rate);
            this.keep = new SamplingDecision(Sampling.SAMPLER_KEEP, Sampling.AGENT_RATE, AGENT_RATE, rate, Double.NaN);
            this.drop = new SamplingDecision(Sampling.SAMPLER_DROP, Sampling.AGENT_RATE, AGENT_RATE, rate, Double.NaN);
        }

        SamplingDecision decide(long traceIdLow) {
            return DeterministicSampler.keeps(traceIdLow, cutoff) ? keep : drop;
        }
    }

    static final AgentRates INITIAL = new AgentRates(Map.of(), new Rate(1.0));

    /** Keyed by lower-case service name. */
    private final Map<String, Rate> byService;
    private final Rate fallback;

    private AgentRates(Map<String, Rate> byService, Rate fallback) {
        this.byService = byService;
        this.fallback = fallback;
    }

    /**
     * The rates of an Agent answer for this env (null env: keys with an empty env or the Agent's
     * default env {@code none}). Keys that are not {@code service:<s>,env:<e>} and rates that are not
     * in [0, 1] are skipped with a debug line.
     */
    static AgentRates from(Map<String, Double> rateByService, String env) {
        String ourEnv = env == null ? "" : env.toLowerCase(Locale.ROOT);
        Map<String, Rate> byService = new HashMap<>();
        Rate fallback = INITIAL.fallback;
        for (Map.Entry<String, Double> entry : rateByService.entrySet()) {
            String key = entry.getKey();
            Double rate = entry.getValue();
            if (key == null || rate == null || !(rate >= 0 && rate <= 1)) {
                LOG.debug("agent-rate-invalid", "ignoring the Agent's rate %s=%s", key, rate);
                continue;
            }
            if (key.equals(DEFAULT_KEY)) {
                fallback = new Rate(rate);
                continue;
            }
            int envAt = key.lastIndexOf(",env:");
            if (!key.startsWith("service:") || envAt < 0) {
                LOG.debug("agent-rate-key", "ignoring the Agent's rate key %s", key);
                continue;
            }
            String keyEnv = key.substring(envAt + 5).toLowerCase(Locale.ROOT);
            boolean ours = keyEnv.equals(ourEnv) || (env == null && keyEnv.equals("none"));
            if (ours) {
                byService.put(key.substring(8, envAt).toLowerCase(Locale.ROOT), new Rate(rate));
            }
        }
        return new AgentRates(Map.copyOf(byService), fallback);
    }

    /**
     * These rates, with every rate that rose since {@code previous} held to at most
     * {@code previous × 2^seconds} ({@code seconds} since the previous answer); rates that fell stay
     * as they are. A rate rises from at least {@link #RISE_FLOOR}, so that 0 can come back. A
     * service the Agent no longer names gets the default rate, limited the same way.
     */
    AgentRates riseLimited(AgentRates previous, long elapsedNanos) {
        double factor = Math.pow(2, Math.min(Math.max(0, elapsedNanos) / 1e9, 30));
        Rate limitedFallback = limit(fallback, previous.fallback, factor);
        Map<String, Rate> limited = new HashMap<>();
        for (Map.Entry<String, Rate> entry : byService.entrySet()) {
            limited.put(entry.getKey(), limit(entry.getValue(), previous.rateFor(entry.getKey()), factor));
        }
        for (Map.Entry<String, Rate> entry : previous.byService.entrySet()) {
            if (!byService.containsKey(entry.getKey())) {
                Rate rate = limit(fallback, entry.getValue(), factor);
                if (rate.rate != limitedFallback.rate) {
                    limited.put(entry.getKey(), rate);
                }
            }
        }
        return new AgentRates(Map.copyOf(limited), limitedFallback);
    }

    private static Rate limit(Rate target, Rate before, double factor) {
        if (target.rate <= before.rate) {
            return target;
        }
        double ceiling = Math.max(before.rate, RISE_FLOOR) * factor;
        return ceiling >= target.rate ? target : new Rate(ceiling);
    }

    /** The rate for a root span's service. Allocates nothing for a lower-case service name. */
    Rate rateFor(String service) {
        if (service == null || byService.isEmpty()) {
            return fallback;
        }
        Rate rate = byService.get(service.toLowerCase(Locale.ROOT));
        return rate != null ? rate : fallback;
    }
}
