package dev.traced.internal.trace;

/**
 * Receives the tags of a finished span one by one, so that an encoder can write them without
 * building a map. {@link CoreSpan#visitMeta} and {@link CoreSpan#visitMetrics} call it once per
 * distinct key.
 *
 * <p>The primitive overloads let the tracer's own numeric tags ({@code thread.id},
 * {@code process_id}, {@code _dd.top_level}, sampling rates) reach an encoder without boxing; by
 * default they box and delegate, so a visitor that only wants {@link Number}s implements one method.
 */
public interface TagVisitor {

    void meta(String key, String value);

    void metric(String key, Number value);

    /** A meta value that is a 64-bit number in 16 lowercase hex digits ({@code _dd.p.tid}). */
    default void metaHex16(String key, long value) {
        meta(key, Ids.toHex16(value));
    }

    default void metric(String key, int value) {
        metric(key, (Number) Integer.valueOf(value));
    }

    default void metric(String key, long value) {
        metric(key, (Number) Long.valueOf(value));
    }

    default void metric(String key, double value) {
        metric(key, (Number) Double.valueOf(value));
    }
}
