package dev.traced.internal.trace;

import java.util.Collections;
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
    /** The same tags as arrays, so that writing a span iterates them without allocating. */
    private final String[] metaKeys;
    private final String[] metaValues;
    private final String[] metricKeys;
    private final Number[] metricValues;

    private GlobalTags(Map<String, String> meta, Map<String, Number> metrics) {
        this.meta = meta;
        this.metrics = metrics;
        this.metaKeys = meta.keySet().toArray(new String[0]);
        this.metaValues = new String[metaKeys.length];
        for (int i = 0; i < metaKeys.length; i++) {
            metaValues[i] = meta.get(metaKeys[i]);
        }
        this.metricKeys = metrics.keySet().toArray(new String[0]);
        this.metricValues = new Number[metricKeys.length];
        for (int i = 0; i < metricKeys.length; i++) {
            metricValues[i] = metrics.get(metricKeys[i]);
        }
    }

    int metaCount() {
        return metaKeys.length;
    }

    String metaKey(int i) {
        return metaKeys[i];
    }

    String metaValue(int i) {
        return metaValues[i];
    }

    int metricCount() {
        return metricKeys.length;
    }

    String metricKey(int i) {
        return metricKeys[i];
    }

    Number metricValue(int i) {
        return metricValues[i];
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
        // Insertion order (dd.tags as written, then env, then what the application adds): Map.copyOf
        // would iterate in an order that changes from one JVM run to the next.
        return new GlobalTags(Collections.unmodifiableMap(newMeta), Collections.unmodifiableMap(newMetrics));
    }
}
