package dev.traced.internal.stats;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.trace.CoreSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which spans count, by which key, into which bucket: on spans made by a real tracer. */
class SpanStatsAggregatorTest {

    private static final long SECOND = 1_000_000_000L;

    private final InMemoryTraces traces = new InMemoryTraces();
    private final CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
            .config("dd.service", "shop").inMemory(traces).build();
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis() * 1_000_000L);
    private final SpanStatsAggregator aggregator = new SpanStatsAggregator(now::get);

    @AfterEach
    void close() {
        tracer.close();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<CoreSpan> lastChunk() {
        List<List<FinishedSpan>> all = traces.traces();
        return (List<CoreSpan>) (List) all.get(all.size() - 1);
    }

    /** A server request with a client call to another service, an internal step and a measured step. */
    private List<CoreSpan> webRequest(String resource, String status, boolean error) {
        try (Span root = tracer.spanBuilder("web.request").resource(resource).spanType("web")
                .tag("span.kind", "server").tag("http.status_code", status).start()) {
            try (Span db = tracer.spanBuilder("db.query").service("orders-db").resource("SELECT")
                    .spanType("sql").tag("span.kind", "client").tag("db.instance", "orders")
                    .tag("peer.hostname", "db-1").tag("component", "jdbc").start()) {
                db.setError(error);
            }
            tracer.trace("internal.step").finish();
            tracer.spanBuilder("measured.step").measured().start().finish();
            tracer.spanBuilder("client.call").tag("span.kind", "client").start().finish();
            root.setError(error);
        }
        return lastChunk();
    }

    private Map<StatsKey, StatsGroup> flushAll() {
        List<StatsBucket> buckets = aggregator.takeFinished(true);
        assertEquals(1, buckets.size());
        return buckets.get(0).groups();
    }

    private static StatsGroup group(Map<StatsKey, StatsGroup> groups, String name) {
        StatsGroup found = null;
        for (Map.Entry<StatsKey, StatsGroup> entry : groups.entrySet()) {
            if (entry.getKey().name().equals(name)) {
                assertNull(found, "one group named " + name);
                found = entry.getValue();
            }
        }
        return found;
    }

    private static StatsKey key(Map<StatsKey, StatsGroup> groups, String name) {
        return groups.keySet().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void topLevelAndMeasuredSpansCountWithTheAgentsKey() {
        aggregator.configure(List.of("peer.hostname", "db.instance"), List.of());
        assertFalse(aggregator.add(webRequest("GET /menu", "200", false)));
        assertTrue(aggregator.add(webRequest("GET /menu", "200", true)));
        Map<StatsKey, StatsGroup> groups = flushAll();

        assertEquals(3, groups.size(), "root, the call to another service, the measured step: " + groups.keySet());
        StatsKey root = key(groups, "web.request");
        assertEquals("shop", root.service());
        assertEquals("GET /menu", root.resource());
        assertEquals("web", root.type());
        assertEquals(200, root.httpStatusCode());
        assertEquals("server", root.spanKind());
        assertTrue(root.traceRoot());
        assertFalse(root.synthetics());
        assertArrayEquals(new String[0], root.peerTags(), "peer tags are for client, producer, consumer spans");

        StatsKey db = key(groups, "db.query");
        assertEquals("orders-db", db.service());
        assertEquals("sql", db.type());
        assertFalse(db.traceRoot());
        assertArrayEquals(new String[] {"peer.hostname:db-1", "db.instance:orders"}, db.peerTags(),
                "the announced names, in the Agent's order");

        StatsGroup web = group(groups, "web.request");
        assertEquals(2, web.hits());
        assertEquals(1, web.errors());
        assertEquals(2, web.topLevelHits());
        assertEquals(1, web.okLatencies().getCount());
        assertEquals(1, web.errorLatencies().getCount());
        assertTrue(web.durationNanos() > 0);

        StatsGroup measured = group(groups, "measured.step");
        assertEquals(2, measured.hits());
        assertEquals(0, measured.topLevelHits(), "measured, not top-level");
        assertNull(group(groups, "internal.step"));
        assertNull(group(groups, "client.call"), "span kinds count only when the Agent says so");
    }

    @Test
    void spanKindsCountWhenTheAgentComputesStatsByKind() {
        aggregator.configure(List.of(), List.of("client", "server", "producer", "consumer"));
        aggregator.add(webRequest("GET /menu", "200", false));
        Map<StatsKey, StatsGroup> groups = flushAll();
        assertEquals(1, group(groups, "client.call").hits());
        assertEquals(0, group(groups, "client.call").topLevelHits());
        assertNull(group(groups, "internal.step"));
    }

    @Test
    void keysDifferByResourceStatusAndRoot() {
        aggregator.add(webRequest("GET /menu", "200", false));
        aggregator.add(webRequest("GET /menu", "404", false));
        aggregator.add(webRequest("GET /order", "200", false));
        aggregator.add(webRequest("GET /menu", "200", false));
        Map<StatsKey, StatsGroup> groups = flushAll();
        List<Long> webHits = new ArrayList<>();
        groups.forEach((key, group) -> {
            if (key.name().equals("web.request")) {
                webHits.add(group.hits());
            }
        });
        webHits.sort(null);
        assertEquals(List.of(1L, 1L, 2L), webHits);
    }

    @Test
    void statusCodesAndOriginsReadAsTheAgentReadsThem() {
        assertEquals(503, SpanStatsAggregator.statusCode("503"));
        assertEquals(0, SpanStatsAggregator.statusCode("5x3"));
        assertEquals(0, SpanStatsAggregator.statusCode("20000"));
        assertEquals(0, SpanStatsAggregator.statusCode(null));
        assertTrue(SpanStatsAggregator.isSynthetics("synthetics-browser"));
        assertFalse(SpanStatsAggregator.isSynthetics("rum"));
    }

    @Test
    void spansGoToTheBucketTheirEndFallsInAndBucketsCloseAtTheirEnd() {
        List<CoreSpan> chunk = webRequest("GET /menu", "200", false);
        CoreSpan root = chunk.stream().filter(CoreSpan::isLocalRoot).findFirst().orElseThrow();
        long end = root.startEpochNanos() + root.durationNanos();
        long bucketStart = SpanStatsAggregator.align(end);
        assertEquals(0, bucketStart % (10 * SECOND));
        assertTrue(bucketStart <= end && end < bucketStart + 10 * SECOND);

        now.set(end);
        aggregator.add(chunk);
        now.set(bucketStart + 10 * SECOND - 1);
        assertEquals(List.of(), aggregator.takeFinished(false), "still open one ns before its end");
        now.set(bucketStart + 10 * SECOND);
        List<StatsBucket> finished = aggregator.takeFinished(false);
        assertEquals(1, finished.size());
        assertEquals(bucketStart, finished.get(0).startNanos());
        assertEquals(10 * SECOND, finished.get(0).durationNanos());
        assertTrue(aggregator.isEmpty());

        // A span of the closed bucket that arrives late goes to the current one, never reopening it.
        now.set(bucketStart + 25 * SECOND);
        aggregator.add(chunk);
        List<StatsBucket> late = aggregator.takeFinished(true);
        assertEquals(1, late.size());
        assertEquals(bucketStart + 20 * SECOND, late.get(0).startNanos());
    }

    @Test
    void aSpanFromTheFutureGoesToTheCurrentBucket() {
        List<CoreSpan> chunk = webRequest("GET /menu", "200", false);
        long end = chunk.get(0).startEpochNanos() + chunk.get(0).durationNanos();
        now.set(end - 60 * SECOND); // the wall clock stepped back
        aggregator.add(chunk);
        List<StatsBucket> buckets = aggregator.takeFinished(true);
        assertEquals(1, buckets.size());
        assertEquals(SpanStatsAggregator.align(end - 60 * SECOND), buckets.get(0).startNanos());
    }

    @Test
    void aBucketHoldsAtMostMaxGroups() {
        for (int i = 0; i <= SpanStatsAggregator.MAX_GROUPS; i++) {
            tracer.spanBuilder("op").resource("r" + i).start().finish();
            aggregator.add(lastChunk());
        }
        tracer.spanBuilder("op").resource("r0").start().finish();
        aggregator.add(lastChunk());
        Map<StatsKey, StatsGroup> groups = flushAll();
        assertEquals(SpanStatsAggregator.MAX_GROUPS, groups.size());
        assertEquals(1, aggregator.droppedSpans(), "only the span of a new key beyond the cap");
        StatsGroup first = groups.entrySet().stream().filter(e -> e.getKey().resource().equals("r0"))
                .findFirst().orElseThrow().getValue();
        assertNotNull(first);
        assertEquals(2, first.hits(), "existing keys still count");
    }
}
