package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.internal.writer.AgentWriter;
import dev.traced.internal.writer.DropCounter.Reason;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.DecodedStats;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.traced.writer.WriterTestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client-side stats end to end against the test Agent: the stats payloads decode with the Agent's
 * schema and count every generated span, while the traces the sampler rejected are not sent.
 */
class ClientStatsTest {

    private static final String[] RESOURCES = {"GET /menu", "POST /order", "GET /order/{id}"};

    private TestAgent agent;
    private CloseableTracer tracer;

    @AfterEach
    void stop() {
        if (tracer != null) {
            tracer.close();
        }
        agent.close();
    }

    private AgentWriter start(TestAgent testAgent, Map<String, String> extra) throws Exception {
        agent = testAgent;
        Map<String, String> config = new HashMap<>(Map.of("dd.trace.sample.rate", "0.1"));
        config.putAll(extra);
        tracer = WriterTestSupport.tracer(agent, config);
        // The writer reads /info before it takes the first trace, so stats count from this one on;
        // kept, so that it reaches the Agent at sample rate 0.1.
        tracer.spanBuilder("warm-up").tag("manual.keep", true).start().finish();
        assertTrue(tracer.flush(WAIT));
        agent.awaitSpans(1, WAIT);
        return WriterTestSupport.writer(tracer);
    }

    /** {@code traces} web requests, each with a call to the orders database; every 10th fails. */
    private void generate(int traces) {
        for (int i = 0; i < traces; i++) {
            try (Span root = tracer.spanBuilder("web.request").resource(RESOURCES[i % RESOURCES.length])
                    .spanType("web").tag("span.kind", "server").tag("http.status_code", i % 10 == 0 ? "500" : "200")
                    .start()) {
                tracer.spanBuilder("db.query").service("orders-db").resource("SELECT").spanType("sql")
                        .tag("span.kind", "client").tag("peer.hostname", "db-1").start().finish();
                tracer.trace("internal.step").finish();
                if (i % 10 == 0) {
                    root.setError(true);
                }
            }
        }
    }

    @Test
    void rejectedTracesAreCountedInStatsAndNotSent() throws Exception {
        AgentWriter writer = start(TestAgent.start().announce(true, true, List.of("peer.hostname"),
                List.of("client", "server", "producer", "consumer")), Map.of());
        int traces = 600;
        generate(traces);
        tracer.spanBuilder("last").tag("manual.keep", true).start().finish(); // a payload after the drops
        assertTrue(tracer.flush(WAIT));

        assertEquals(List.of(), agent.errors());
        assertTrue(writer.stats().active());
        List<DecodedSpan> roots = agent.spans().stream().filter(s -> s.name().equals("web.request")).toList();
        long dropped = writer.drops().traces(Reason.P0);
        assertEquals(traces, roots.size() + dropped, "every trace is either sent or counted as a P0 drop");
        assertTrue(dropped > traces / 2, "at rate 0.1 most traces are rejected: " + dropped);
        assertEquals(traces / 10, roots.stream().filter(s -> s.error() == 1).count(), "traces with errors are kept");
        for (DecodedSpan root : roots) {
            assertTrue(root.metrics().get("_sampling_priority_v1").intValue() > 0 || root.error() == 1,
                    "a rejected trace without error was sent");
        }

        // The stats count all 600 traces, kept or not, by the Agent's key.
        Map<String, long[]> byResource = new HashMap<>();
        long dbHits = 0;
        Set<String> names = new HashSet<>();
        List<DecodedStats> payloads = agent.stats();
        assertFalse(payloads.isEmpty());
        for (int p = 0; p < payloads.size(); p++) {
            DecodedStats payload = payloads.get(p);
            assertEquals(p, payload.sequence());
            assertEquals("sandwich-shop", payload.service());
            assertEquals("test", payload.env());
            assertEquals("1.2.3", payload.version());
            assertEquals("java", payload.lang());
            assertEquals(roots.get(0).meta().get("runtime-id"), payload.runtimeId());
            for (DecodedStats.Bucket bucket : payload.buckets()) {
                assertEquals(10_000_000_000L, bucket.duration());
                assertEquals(0, bucket.start() % 10_000_000_000L);
                for (DecodedStats.Group group : bucket.groups()) {
                    names.add(group.name());
                    assertEquals(group.hits(), (long) (group.okSummary().getCount() + group.errorSummary().getCount()));
                    assertEquals(group.errors(), (long) group.errorSummary().getCount());
                    if (group.name().equals("web.request")) {
                        long[] counts = byResource.computeIfAbsent(group.resource() + " " + group.httpStatusCode(),
                                k -> new long[3]);
                        counts[0] += group.hits();
                        counts[1] += group.errors();
                        counts[2] += group.topLevelHits();
                        assertEquals("server", group.spanKind());
                        assertEquals(1, group.isTraceRoot());
                        assertEquals("web", group.type());
                    } else if (group.name().equals("db.query")) {
                        dbHits += group.hits();
                        assertEquals("orders-db", group.service());
                        assertEquals(List.of("peer.hostname:db-1"), group.peerTags());
                        assertEquals(2, group.isTraceRoot());
                    }
                }
            }
        }
        assertFalse(names.contains("internal.step"), "neither top-level, measured nor of a counted kind");
        assertEquals(traces, dbHits);
        Map<String, long[]> expected = new HashMap<>();
        for (int i = 0; i < traces; i++) {
            long[] counts = expected.computeIfAbsent(RESOURCES[i % 3] + " " + (i % 10 == 0 ? 500 : 200),
                    k -> new long[3]);
            counts[0]++;
            counts[1] += i % 10 == 0 ? 1 : 0;
            counts[2]++;
        }
        assertEquals(expected.keySet(), byResource.keySet());
        expected.forEach((key, counts) -> assertEquals(List.of(counts[0], counts[1], counts[2]),
                List.of(byResource.get(key)[0], byResource.get(key)[1], byResource.get(key)[2]), key));

        // Trace payloads say the stats are computed, and report the rejected traces.
        long reported = 0;
        for (TestAgent.Request request : agent.traceRequests()) {
            // The warm-up's payload too: /info was read before its trace was taken.
            assertEquals("true", request.header("Datadog-Client-Computed-Stats"));
            reported += Long.parseLong(request.header("Datadog-Client-Dropped-P0-Traces"));
        }
        assertEquals(dropped, reported);
        TestAgent.Request statsRequest = agent.statsRequests().get(0);
        assertEquals("POST", statsRequest.method());
        assertEquals("java", statsRequest.header("Datadog-Meta-Lang"));
    }

    @Test
    void withoutTheStatsEndpointEveryTraceIsSent() throws Exception {
        assertEverythingSent(TestAgent.start().announce(false, true, List.of(), List.of()), Map.of());
    }

    @Test
    void withoutClientDropP0sEveryTraceIsSent() throws Exception {
        assertEverythingSent(TestAgent.start().announce(true, false, List.of(), List.of()), Map.of());
    }

    @Test
    void switchedOffEveryTraceIsSent() throws Exception {
        assertEverythingSent(TestAgent.start().clientDropsP0s(true),
                Map.of("dd.trace.stats.computation.enabled", "false"));
    }

    @Test
    void ddTraceJavasOlderNameSwitchesItOffToo() throws Exception {
        assertEverythingSent(TestAgent.start().clientDropsP0s(true), Map.of("dd.trace.tracer.metrics.enabled", "false"));
    }

    private void assertEverythingSent(TestAgent testAgent, Map<String, String> config) throws Exception {
        AgentWriter writer = start(testAgent, config);
        generate(100);
        assertTrue(tracer.flush(WAIT));
        agent.awaitSpans(1 + 300, WAIT);
        assertEquals(List.of(), agent.errors());
        assertFalse(writer.stats().active());
        assertEquals(0, writer.drops().traces(Reason.P0));
        assertEquals(List.of(), agent.statsRequests());
        for (TestAgent.Request request : agent.traceRequests()) {
            assertNull(request.header("Datadog-Client-Computed-Stats"));
        }
    }
}
