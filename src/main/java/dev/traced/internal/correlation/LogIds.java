package dev.traced.internal.correlation;

import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.TraceSettings;

/**
 * The correlation values of one log line: the ids of the span active when it was logged and the
 * tracer's service, env and version ({@code env} and {@code version} may be null). The id strings are
 * cached on the span and its trace, so a line allocates only this holder.
 */
record LogIds(String traceId, String spanId, String service, String env, String version) {

    static LogIds of(CoreSpan span) {
        TraceSettings settings = span.trace().tracer().settings();
        return new LogIds(span.trace().correlationTraceId(), span.correlationSpanId(),
                settings.service(), settings.env(), settings.version());
    }

    /** The value of one of the five keys, null for any other key or a value that is not set. */
    String get(Object key) {
        if (!(key instanceof String name) || !name.startsWith("dd.")) {
            return null;
        }
        switch (name) {
            case LogCorrelation.TRACE_ID:
                return traceId;
            case LogCorrelation.SPAN_ID:
                return spanId;
            case LogCorrelation.SERVICE:
                return service;
            case LogCorrelation.ENV:
                return env;
            case LogCorrelation.VERSION:
                return version;
            default:
                return null;
        }
    }

    /** The keys in a fixed order, for iteration; {@link #get} gives each one's value. */
    static final String[] KEYS = {LogCorrelation.TRACE_ID, LogCorrelation.SPAN_ID, LogCorrelation.SERVICE,
            LogCorrelation.ENV, LogCorrelation.VERSION};
}
