package dev.traced.internal.sampling;

import dev.traced.FinishedSpan;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.internal.config.Config;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.writer.TraceWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Priorities, {@code _dd.p.dm} and rate metrics of §3, through a real tracer. */
class SamplingTest {

    /** Trace ids whose decision at rate 0.5 is known: the first is kept, the second dropped. */
    private static final long KEPT_AT_HALF = findId(0.5, true);
    private static final long DROPPED_AT_HALF = findId(0.5, false);

    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final List<List<CoreSpan>> written = new ArrayList<>();
    private CoreTracer tracer;
    private Sampling sampling;

    private void start(String... settings) {
        Map<String, String> values = new HashMap<>(Map.of("dd.service", "shop", "dd.env", "prod"));
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        Config config = Config.of(values);
        sampling = new Sampling(config, clock::get);
        tracer = new CoreTracer(config, new TraceWriter() {
            @Override
            public void write(List<CoreSpan> chunk) {
                written.add(chunk);
            }

            @Override
            public boolean flush(Duration timeout) {
                return true;
            }

            @Override
            public void close(Duration timeout) {
            }
        }, sampling);
    }

    @AfterEach
    void close() {
        if (tracer != null) {
            tracer.close();
        }
    }

    private static long findId(double rate, boolean kept) {
        long cutoff = DeterministicSampler.cutoff(rate);
        for (long id = 1; ; id++) {
            if (DeterministicSampler.keeps(id, cutoff) == kept) {
                return id;
            }
        }
    }

    private static SpanContext parentWithId(long traceIdLow) {
        return new SpanContext() {
            @Override
            public String traceId() {
                return String.format("%032x", traceIdLow);
            }

            @Override
            public String spanId() {
                return "00000000000000aa";
            }
        };
    }

    /** Runs one root span (name, resource) of a trace with this id and returns it as written. */
    private FinishedSpan root(long traceIdLow, String name, String resource) {
        Span span = tracer.spanBuilder(name).resource(resource).parent(parentWithId(traceIdLow)).start();
        span.finish();
        return written.get(written.size() - 1).get(0);
    }

    private FinishedSpan root(long traceIdLow) {
        return root(traceIdLow, "web.request", "GET /");
    }

    private static String priority(FinishedSpan span) {
        return span.tag("_sampling_priority_v1");
    }

    @Test
    void withoutRulesTheAgentRateOfOneKeepsEverything() {
        start();
        FinishedSpan span = root(DROPPED_AT_HALF);
        assertEquals("1", priority(span));
        assertEquals("-1", span.meta().get("_dd.p.dm"));
        assertEquals(1.0, span.metrics().get("_dd.agent_psr"));
    }

    @Test
    void theAgentsRatesChangeDecisionsAfterAnUpdate() {
        start();
        sampling.updateAgentRates(Map.of("service:shop,env:prod", 0.5, "service:,env:", 0.0));
        FinishedSpan kept = root(KEPT_AT_HALF);
        assertEquals("1", priority(kept));
        assertEquals("-1", kept.meta().get("_dd.p.dm"));
        assertEquals(0.5, kept.metrics().get("_dd.agent_psr"));
        FinishedSpan dropped = root(DROPPED_AT_HALF);
        assertEquals("0", priority(dropped));
        assertNull(dropped.meta().get("_dd.p.dm"), "dm is kept only for priority > 0");
        assertEquals(0.5, dropped.metrics().get("_dd.agent_psr"));

        // Another service gets the default key's rate; another env's key does not apply.
        sampling.updateAgentRates(Map.of("service:shop,env:staging", 1.0, "service:,env:", 0.0));
        assertEquals("0", priority(root(KEPT_AT_HALF)));
    }

    @Test
    void badAgentRatesAreIgnored() {
        start();
        Map<String, Double> garbage = new HashMap<>();
        garbage.put("service:shop,env:prod", Double.NaN);
        garbage.put("nonsense", 0.0);
        garbage.put("service:shop,env:prod ", 7.0);
        garbage.put(null, 0.0);
        sampling.updateAgentRates(garbage);
        sampling.updateAgentRates(null);
        assertEquals("1", priority(root(DROPPED_AT_HALF)));
    }

    @Test
    void aMatchingRuleDecidesWithRuleMechanismAndLimiter() {
        start("dd.trace.sampling.rules", """
                [{"service": "sh*p", "name": "web.*", "resource": "GET /items/?", "sample_rate": 1}]""");
        FinishedSpan span = root(DROPPED_AT_HALF, "web.request", "GET /items/1");
        assertEquals("2", priority(span));
        assertEquals("-3", span.meta().get("_dd.p.dm"));
        assertEquals(1.0, span.metrics().get("_dd.rule_psr"));
        assertEquals(100.0, span.metrics().get("_dd.limit_psr"));
        assertNull(span.metrics().get("_dd.agent_psr"));

        FinishedSpan other = root(DROPPED_AT_HALF, "web.request", "GET /other");
        assertEquals("1", priority(other), "no rule matches: the Agent's rate decides");
        assertEquals("-1", other.meta().get("_dd.p.dm"));
    }

    @Test
    void aRuleRateDropsWithUserDrop() {
        start("dd.trace.sampling.rules", "[{\"name\": \"web.request\", \"sample_rate\": 0.5}]");
        FinishedSpan dropped = root(DROPPED_AT_HALF);
        assertEquals("-1", priority(dropped));
        assertNull(dropped.meta().get("_dd.p.dm"));
        assertEquals(0.5, dropped.metrics().get("_dd.rule_psr"));
        assertNull(dropped.metrics().get("_dd.limit_psr"), "the limiter is consulted only for kept traces");
        assertEquals("2", priority(root(KEPT_AT_HALF)));
    }

    @Test
    void firstMatchWinsThenTheSampleRateRule() {
        start("dd.trace.sampling.rules", """
                [{"name": "job.*", "sample_rate": 0}, {"name": "job.run", "sample_rate": 1}]""",
                "dd.trace.sample.rate", "1");
        assertEquals("-1", priority(root(KEPT_AT_HALF, "job.run", "nightly")));
        FinishedSpan web = root(DROPPED_AT_HALF);
        assertEquals("2", priority(web), "dd.trace.sample.rate is the catch-all rule");
        assertEquals("-3", web.meta().get("_dd.p.dm"));
    }

    @Test
    void tagGlobsMatchTheRootsTags() {
        start("dd.trace.sampling.rules", "[{\"tags\": {\"tier\": \"gold*\", \"http.status_code\": \"5??\"}, \"sample_rate\": 1}]",
                "dd.trace.sample.rate", "0");
        Span span = tracer.spanBuilder("web.request").parent(parentWithId(DROPPED_AT_HALF))
                .tag("tier", "Golden").tag("http.status_code", 503).start();
        span.finish();
        assertEquals("2", priority(written.get(0).get(0)));
        assertEquals("-1", priority(root(KEPT_AT_HALF)), "without the tags, the sample rate rule of 0 drops");
    }

    @Test
    void invalidRulesAreSkippedAndTheOthersApply() {
        start("dd.trace.sampling.rules", """
                [{"sample_rate": 2}, {"service": 5, "sample_rate": 1}, {"name": "web.request"},
                 "text", {"tags": "x", "sample_rate": 1}, {"name": "web.request", "sample_rate": 0}]""");
        assertEquals("-1", priority(root(KEPT_AT_HALF)));
    }

    @Test
    void unparsableRulesMeanNoRules() {
        start("dd.trace.sampling.rules", "[{not json");
        assertEquals("1", priority(root(KEPT_AT_HALF)));
        close();
        start("dd.trace.sampling.rules", "{\"sample_rate\": 0}");
        assertEquals("1", priority(root(KEPT_AT_HALF)));
    }

    @Test
    void theRateLimitTurnsRuleKeepsIntoDropsBeyondTheLimit() {
        start("dd.trace.sample.rate", "1", "dd.trace.rate.limit", "2");
        assertEquals("2", priority(root(1)));
        assertEquals("2", priority(root(2)));
        FinishedSpan limited = root(3);
        assertEquals("-1", priority(limited));
        assertEquals(2.0, limited.metrics().get("_dd.limit_psr"));
        assertEquals(1.0, limited.metrics().get("_dd.rule_psr"));
        clock.addAndGet(500_000_000L);
        assertEquals("2", priority(root(4)), "half a second later one more trace is let through");
        assertEquals("-1", priority(root(5)));
    }

    @Test
    void manualKeepAndDropWinOverSamplers() {
        start("dd.trace.sample.rate", "0");
        Span kept = tracer.spanBuilder("web.request").parent(parentWithId(KEPT_AT_HALF)).start();
        kept.keepTrace();
        kept.finish();
        FinishedSpan keptSpan = written.get(0).get(0);
        assertEquals("2", priority(keptSpan));
        assertEquals("-4", keptSpan.meta().get("_dd.p.dm"));

        sampling.updateAgentRates(Map.of("service:,env:", 1.0));
        Span dropped = tracer.spanBuilder("web.request").noParent().start();
        dropped.setTag("manual.drop", true);
        dropped.finish();
        FinishedSpan droppedSpan = written.get(1).get(0);
        assertEquals("-1", priority(droppedSpan));
        assertNull(droppedSpan.meta().get("_dd.p.dm"));
    }

    @Test
    void manualKeepAfterTheDecisionStillWins() {
        start("dd.trace.sample.rate", "0");
        Span root = tracer.spanBuilder("web.request").parent(parentWithId(KEPT_AT_HALF)).start();
        tracer.inject(root.context(), (k, v) -> { });
        Span child = tracer.trace("child");
        child.keepTrace();
        child.finish();
        root.finish();
        FinishedSpan written0 = written.get(0).get(written.get(0).size() - 1);
        assertEquals("2", priority(written0));
    }

    @Test
    void thePriorityIsLockedAtFirstInjection() {
        start();
        Span root = tracer.spanBuilder("web.request").parent(parentWithId(DROPPED_AT_HALF)).start();
        tracer.inject(root.context(), (k, v) -> { });
        sampling.updateAgentRates(Map.of("service:,env:", 0.0));
        root.finish();
        FinishedSpan span = written.get(0).get(0);
        assertEquals("1", priority(span));
        assertEquals(1.0, span.metrics().get("_dd.agent_psr"));
        assertNotEquals("1", priority(root(DROPPED_AT_HALF)), "a new trace sees the new rate");
    }
}
