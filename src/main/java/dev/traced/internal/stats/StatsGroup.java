package dev.traced.internal.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.BitwiseLinearlyInterpolatedMapping;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;

/**
 * The stats of one {@link StatsKey} in one bucket: hits, errors, top-level hits, total duration,
 * and the latency distributions of ok and error spans as DDSketches with dd-trace-java's
 * parameters (relative accuracy 1/128, at most 1024 bins, collapsing the lowest). Writer's thread only.
 */
final class StatsGroup {

    /** dd-trace-java's histogram mapping; the Agent and the backend read its gamma from the sketch itself. */
    static final IndexMapping MAPPING = new BitwiseLinearlyInterpolatedMapping(1.0 / 128.0);
    static final int MAX_BINS = 1024;

    private long hits;
    private long errors;
    private long topLevelHits;
    private long durationNanos;
    private DDSketch okLatencies;
    private DDSketch errorLatencies;

    void record(long duration, boolean error, boolean topLevel) {
        long nanos = Math.max(0, duration);
        hits++;
        durationNanos += nanos;
        if (topLevel) {
            topLevelHits++;
        }
        if (error) {
            errors++;
            if (errorLatencies == null) {
                errorLatencies = newSketch();
            }
            errorLatencies.accept(nanos);
        } else {
            if (okLatencies == null) {
                okLatencies = newSketch();
            }
            okLatencies.accept(nanos);
        }
    }

    static DDSketch newSketch() {
        return new DDSketch(MAPPING, () -> new CollapsingLowestDenseStore(MAX_BINS));
    }

    long hits() {
        return hits;
    }

    long errors() {
        return errors;
    }

    long topLevelHits() {
        return topLevelHits;
    }

    long durationNanos() {
        return durationNanos;
    }

    /** The ok latencies in nanoseconds; an empty sketch when none. */
    DDSketch okLatencies() {
        return okLatencies == null ? newSketch() : okLatencies;
    }

    /** The error latencies in nanoseconds; an empty sketch when none. */
    DDSketch errorLatencies() {
        return errorLatencies == null ? newSketch() : errorLatencies;
    }
}
