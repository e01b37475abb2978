package dev.traced.internal.propagation;

import dev.traced.SpanContext;
import dev.traced.internal.config.Config;
import dev.traced.internal.trace.RemoteContext;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Reads and writes trace context in request headers, in the configured styles.
 * (Filled in by the propagation work: Datadog, W3C, B3, baggage.)
 */
public final class Propagation {

    public Propagation(Config config) {
    }

    /** Writes the context of a local span or of a remote context into the headers. Never throws. */
    public void inject(SpanContext context, BiConsumer<String, String> headers) {
    }

    /** Reads a context from headers looked up by lower-case name; null when there is none. */
    public RemoteContext extract(Function<String, String> headers) {
        return null;
    }
}
