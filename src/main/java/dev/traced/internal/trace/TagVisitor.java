package dev.traced.internal.trace;

/**
 * Receives the tags of a finished span one by one, so that an encoder can write them without
 * building a map. {@link CoreSpan#visitMeta} and {@link CoreSpan#visitMetrics} call it once per
 * distinct key.
 */
public interface TagVisitor {

    void meta(String key, String value);

    void metric(String key, Number value);
}
