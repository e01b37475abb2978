package dev.traced.benchmarks;

import dev.traced.CloseableTracer;
import dev.traced.TracerBuilder;
import dev.traced.internal.sampling.Sampling;
import dev.traced.internal.sampling.SamplingDecision;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sampling decision on a local root: the Agent's rate for its service (the default path), a
 * match among three sampling rules (with the rate limiter for kept traces), and the check every later
 * injection makes once the priority is locked. Roots cycle through 1024 traces with random ids.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SamplingBenchmark {

    private static final int TRACES = 1024;

    private CloseableTracer agentTracer;
    private CloseableTracer ruleTracer;
    private CloseableTracer dropRuleTracer;
    private Sampling dropRuleSampling;
    private final CoreSpan[] dropRuleRoots = new CoreSpan[TRACES];
    private Sampling agentSampling;
    private Sampling ruleSampling;
    private final CoreSpan[] agentRoots = new CoreSpan[TRACES];
    private final CoreSpan[] ruleRoots = new CoreSpan[TRACES];
    private int next;

    @Setup
    public void setUp() {
        agentTracer = tracer(Map.of());
        agentSampling = ((CoreTracer) agentTracer).sampling();
        agentSampling.updateAgentRates(Map.of("service:bench,env:prod", 0.5, "service:other,env:prod", 0.1,
                "service:,env:", 1.0));
        ruleTracer = tracer(Map.of("dd.trace.sampling.rules", """
                [{"service": "other", "sample_rate": 0.1},
                 {"name": "db.*", "resource": "SELECT *", "sample_rate": 0.2},
                 {"service": "ben?h", "name": "web.*", "sample_rate": 0.5}]""",
                "dd.trace.rate.limit", "1000000"));
        ruleSampling = ((CoreTracer) ruleTracer).sampling();
        dropRuleTracer = tracer(Map.of("dd.trace.sampling.rules", """
                [{"service": "other", "sample_rate": 0.1},
                 {"name": "db.*", "resource": "SELECT *", "sample_rate": 0.2},
                 {"service": "ben?h", "name": "web.*", "sample_rate": 0}]"""));
        dropRuleSampling = ((CoreTracer) dropRuleTracer).sampling();
        for (int i = 0; i < TRACES; i++) {
            agentRoots[i] = (CoreSpan) agentTracer.spanBuilder("web.request").noParent().startInactive();
            ruleRoots[i] = (CoreSpan) ruleTracer.spanBuilder("web.request").resource("GET /items")
                    .noParent().startInactive();
            dropRuleRoots[i] = (CoreSpan) dropRuleTracer.spanBuilder("web.request").resource("GET /items")
                    .noParent().startInactive();
            // Lock the priority of the agent roots for the "already decided" case.
            agentSampling.decide(agentRoots[i].trace());
        }
    }

    private static CloseableTracer tracer(Map<String, String> settings) {
        return TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "bench").config("dd.env", "prod")
                .config("dd.trace.writer", "none").config("dd.logs.injection", "false")
                .config(settings).build();
    }

    @TearDown
    public void tearDown() {
        agentTracer.close();
        ruleTracer.close();
        dropRuleTracer.close();
    }

    /** No rules: the Agent's rate for the root's service decides from the trace id. */
    @Benchmark
    public SamplingDecision agentRate() {
        return agentSampling.decisionFor(agentRoots[next++ & (TRACES - 1)]);
    }

    /** Three rules, the third matches; kept traces take a rate-limiter token. */
    @Benchmark
    public SamplingDecision rules() {
        return ruleSampling.decisionFor(ruleRoots[next++ & (TRACES - 1)]);
    }

    /** As {@link #rules}, but the matching rule drops every trace: the matching alone, no rate limiter. */
    @Benchmark
    public SamplingDecision rulesMatchingOnly() {
        return dropRuleSampling.decisionFor(dropRuleRoots[next++ & (TRACES - 1)]);
    }

    /** The priority is already locked: what each injection after the first costs. */
    @Benchmark
    public void alreadyDecided() {
        agentSampling.decide(agentRoots[next++ & (TRACES - 1)].trace());
    }
}
