package dev.traced.internal.stats;

import java.util.HashMap;
import java.util.Map;

/**
 * The stats of the spans that ended within one time bucket ({@code [start, start + duration)},
 * epoch nanoseconds), by {@link StatsKey}. Writer's thread only.
 */
final class StatsBucket {

    private final long startNanos;
    private final long durationNanos;
    private final Map<StatsKey, StatsGroup> groups = new HashMap<>();

    StatsBucket(long startNanos, long durationNanos) {
        this.startNanos = startNanos;
        this.durationNanos = durationNanos;
    }

    long startNanos() {
        return startNanos;
    }

    long durationNanos() {
        return durationNanos;
    }

    /** The group of {@code key}, made when {@code mayAdd}; null when absent and not allowed. */
    StatsGroup group(StatsKey key, boolean mayAdd) {
        StatsGroup group = groups.get(key);
        if (group == null && mayAdd) {
            group = new StatsGroup();
            groups.put(key, group);
        }
        return group;
    }

    int size() {
        return groups.size();
    }

    Map<StatsKey, StatsGroup> groups() {
        return groups;
    }
}
