package dev.traced.internal.trace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags that every span started from now on carries ({@code dd.tags}, {@code dd.env} and
 * {@code tracer.setTags}). Immutable: a span keeps the instance that was current when it started.
 */
public final class GlobalTags {

    static final GlobalTags EMPTY = new GlobalTags(Map.of(), Map.of());

    private final Map<String, String> meta;
    private final Map<String, Number> metrics;

    private GlobalTags(Map<String, String> meta, Map<String, Number> metrics) {
        this.meta = meta;
        this.metrics = metrics;
    }

    public Map<String, String> meta() {
        return meta;
    }

    public Map<String, Number> metrics() {
        return metrics;
    }

    /** These tags with more on top: numbers become metrics, everything else a string. */
    GlobalTags with(Map<String, ?> tags) {
        Map<String, String> newMeta = new LinkedHashMap<>(meta);
        Map<String, Number> newMetrics = new LinkedHashMap<>(metrics);
        for (Map.Entry<String, ?> entry : tags.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            if (key == null || key.isEmpty()) {
                continue;
            }
            newMeta.remove(key);
            newMetrics.remove(key);
            if (value instanceof Number number) {
                newMetrics.put(key, number);
            } else if (value != null) {
                newMeta.put(key, value.toString());
            }
        }
        return new GlobalTags(Map.copyOf(newMeta), Map.copyOf(newMetrics));
    }
}
