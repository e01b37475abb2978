package dev.traced.internal.trace;

import dev.traced.Span;
import dev.traced.SpanBuilder;
import dev.traced.SpanContext;

import java.time.Instant;
import java.util.Map;

/**
 * The span that records nothing, all zero ids: what a disabled tracer returns everywhere, and what
 * {@code currentSpan()} returns outside any span, so that code written for tracing on runs unchanged
 * with tracing off. Its context is never injected into headers, and as a parent it starts a new trace.
 */
final class NoopSpan implements Span, SpanContext {

    static final NoopSpan INSTANCE = new NoopSpan();
    static final SpanBuilder BUILDER = new Builder();

    @Override
    public Span setTag(String key, String value) {
        return this;
    }

    @Override
    public Span setBaggageItem(String key, String value) {
        return this;
    }

    @Override
    public String getBaggageItem(String key) {
        return null;
    }

    @Override
    public Map<String, String> baggage() {
        return Map.of();
    }

    @Override
    public Span setTag(String key, Number value) {
        return this;
    }

    @Override
    public Span setTag(String key, boolean value) {
        return this;
    }

    @Override
    public Span setError(boolean error) {
        return this;
    }

    @Override
    public Span setError(Throwable error) {
        return this;
    }

    @Override
    public Span setResource(String resource) {
        return this;
    }

    @Override
    public Span setService(String service) {
        return this;
    }

    @Override
    public Span setOperationName(String name) {
        return this;
    }

    @Override
    public Span setSpanType(String type) {
        return this;
    }

    @Override
    public Span addLink(SpanContext context, Map<String, String> attributes) {
        return this;
    }

    @Override
    public Span addEvent(String name, Map<String, ?> attributes) {
        return this;
    }

    @Override
    public Span addEvent(String name, Map<String, ?> attributes, Instant timestamp) {
        return this;
    }

    @Override
    public SpanContext context() {
        return this;
    }

    @Override
    public boolean isRecording() {
        return false;
    }

    @Override
    public void finish() {
    }

    @Override
    public void close() {
    }

    @Override
    public String traceId() {
        return "00000000000000000000000000000000";
    }

    @Override
    public String spanId() {
        return "0000000000000000";
    }

    private static final class Builder implements SpanBuilder {
        @Override
        public SpanBuilder service(String service) {
            return this;
        }

        @Override
        public SpanBuilder resource(String resource) {
            return this;
        }

        @Override
        public SpanBuilder spanType(String spanType) {
            return this;
        }

        @Override
        public SpanBuilder link(SpanContext context, Map<String, String> attributes) {
            return this;
        }

        @Override
        public SpanBuilder tag(String key, String value) {
            return this;
        }

        @Override
        public SpanBuilder tag(String key, Number value) {
            return this;
        }

        @Override
        public SpanBuilder tag(String key, boolean value) {
            return this;
        }

        @Override
        public SpanBuilder measured() {
            return this;
        }

        @Override
        public SpanBuilder parent(SpanContext parent) {
            return this;
        }

        @Override
        public SpanBuilder noParent() {
            return this;
        }

        @Override
        public Span start() {
            return INSTANCE;
        }

        @Override
        public Span startInactive() {
            return INSTANCE;
        }
    }
}
