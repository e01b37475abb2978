package dev.traced.internal.stats;

import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.CoreSpan;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Counts finished spans into 10-second buckets the way the Agent would have counted them, had the
 * traces been sent. Writer's thread only.
 *
 * <p>A span counts when it is top-level, measured, or of a span kind the Agent computes stats for
 * ({@code span_kinds_stats_computed} in {@code /info}). It goes to the bucket its end time falls in;
 * a span ending in a bucket already flushed (or in the future, by a clock step) goes to the current
 * bucket, so at most a few buckets are open at once. Memory is bounded: a bucket holds at most
 * {@link #MAX_GROUPS} keys (dd-trace-java's default), further new keys are counted as dropped and logged.
 */
final class SpanStatsAggregator {

    static final long BUCKET_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final int MAX_GROUPS = 2048;
    private static final Set<String> PEER_KINDS = Set.of("client", "producer", "consumer");
    private static final RateLimitedLog LOG = RateLimitedLog.of(SpanStatsAggregator.class);

    private final LongSupplier epochNanos;
    private final TreeMap<Long, StatsBucket> buckets = new TreeMap<>();
    /** Buckets starting before this were flushed: later spans ending there go to the current bucket. */
    private long flushedBefore = Long.MIN_VALUE;
    private List<String> peerTagNames = List.of();
    private Set<String> statsSpanKinds = Set.of();
    private long droppedSpans;

    SpanStatsAggregator(LongSupplier epochNanos) {
        this.epochNanos = epochNanos;
    }

    /** What the Agent announced: the peer tag names and the span kinds it counts. */
    void configure(List<String> peerTagNames, List<String> statsSpanKinds) {
        this.peerTagNames = List.copyOf(peerTagNames);
        this.statsSpanKinds = Set.copyOf(statsSpanKinds);
    }

    /** Counts the spans of a chunk that the Agent would count; returns true when any span of it is an error. */
    boolean add(List<CoreSpan> chunk) {
        boolean error = false;
        long now = epochNanos.getAsLong();
        for (int i = 0, n = chunk.size(); i < n; i++) {
            CoreSpan span = chunk.get(i);
            boolean spanError = span.isError();
            error |= spanError;
            String kind = span.tagValue("span.kind");
            boolean topLevel = span.isTopLevel();
            if (topLevel || span.isMeasured() || (kind != null && statsSpanKinds.contains(kind))) {
                record(span, kind, topLevel, spanError, now);
            }
        }
        return error;
    }

    private void record(CoreSpan span, String kind, boolean topLevel, boolean error, long now) {
        long duration = span.durationNanos();
        StatsKey key = StatsKey.of(span.service(), span.operationName(), span.resource(), span.spanType(),
                statusCode(span.tagValue("http.status_code")), isSynthetics(span.trace().origin()), kind,
                span.parentIdValue() == 0, peerTags(span, kind));
        StatsBucket bucket = bucket(span.startEpochNanos() + duration, now);
        StatsGroup group = bucket.group(key, bucket.size() < MAX_GROUPS);
        if (group == null) {
            droppedSpans++;
            LOG.warn("stats-groups", "a stats bucket holds %d groups already; spans of new groups (service, "
                    + "resource, ...) are not counted in stats: %d so far", MAX_GROUPS, droppedSpans);
            return;
        }
        group.record(duration, error, topLevel);
    }

    private StatsBucket bucket(long endNanos, long now) {
        long start = align(endNanos);
        if (start < flushedBefore || start > align(now)) {
            start = Math.max(align(now), flushedBefore);
        }
        StatsBucket bucket = buckets.get(start);
        if (bucket == null) {
            bucket = new StatsBucket(start, BUCKET_NANOS);
            buckets.put(start, bucket);
        }
        return bucket;
    }

    static long align(long epochNanos) {
        return epochNanos - Math.floorMod(epochNanos, BUCKET_NANOS);
    }

    /**
     * Removes and returns the buckets that are over (their end is past), or all of them when
     * {@code all}; oldest first.
     */
    List<StatsBucket> takeFinished(boolean all) {
        long now = epochNanos.getAsLong();
        List<StatsBucket> finished = new ArrayList<>();
        Iterator<Map.Entry<Long, StatsBucket>> it = buckets.entrySet().iterator();
        while (it.hasNext()) {
            StatsBucket bucket = it.next().getValue();
            long end = bucket.startNanos() + bucket.durationNanos();
            if (!all && end > now) {
                break;
            }
            it.remove();
            flushedBefore = Math.max(flushedBefore, all ? align(now) : end);
            if (bucket.size() > 0) {
                finished.add(bucket);
            }
        }
        return finished;
    }

    /** Forgets every count (stats were switched off). */
    void clear() {
        buckets.clear();
    }

    boolean isEmpty() {
        return buckets.isEmpty();
    }

    long droppedSpans() {
        return droppedSpans;
    }

    private String[] peerTags(CoreSpan span, String kind) {
        List<String> names = peerTagNames;
        if (names.isEmpty() || kind == null || !PEER_KINDS.contains(kind)) {
            return null;
        }
        String[] pairs = null;
        int count = 0;
        for (int i = 0, n = names.size(); i < n; i++) {
            String value = span.tagValue(names.get(i));
            if (value != null && !value.isEmpty()) {
                if (pairs == null) {
                    pairs = new String[n];
                }
                pairs[count++] = names.get(i) + ':' + value;
            }
        }
        return pairs == null || count == pairs.length ? pairs : java.util.Arrays.copyOf(pairs, count);
    }

    /** The status as the Agent reads {@code http.status_code}: an integer, else 0. */
    static int statusCode(String text) {
        if (text == null || text.isEmpty() || text.length() > 3) {
            return 0;
        }
        int code = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            code = code * 10 + (c - '0');
        }
        return code;
    }

    /** The Agent marks stats of traces started by Datadog Synthetics ({@code _dd.origin} synthetics...). */
    static boolean isSynthetics(String origin) {
        return origin != null && origin.startsWith("synthetics");
    }
}
