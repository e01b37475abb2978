package dev.traced.testagent;

import com.datadoghq.sketch.ddsketch.DDSketch;

import java.util.List;

/** One {@code /v0.6/stats} payload as the test Agent decoded it with the Agent's schema. */
public record DecodedStats(String hostname, String env, String version, String lang, String tracerVersion,
                           String runtimeId, long sequence, String service, List<Bucket> buckets) {

    /** A {@code ClientStatsBucket}: start and duration in nanoseconds. */
    public record Bucket(long start, long duration, List<Group> groups) {
    }

    /**
     * A {@code ClientGroupedStats}; the summaries decoded from their protobuf bytes.
     *
     * @param isTraceRoot the Agent's Trilean: 0 not set, 1 true, 2 false
     */
    public record Group(String service, String name, String resource, String type, long httpStatusCode,
                        boolean synthetics, int isTraceRoot, String spanKind, List<String> peerTags, long hits,
                        long errors, long topLevelHits, long duration, DDSketch okSummary, DDSketch errorSummary) {
    }
}
