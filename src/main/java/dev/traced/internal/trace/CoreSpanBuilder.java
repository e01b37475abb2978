package dev.traced.internal.trace;

import dev.traced.Span;
import dev.traced.SpanBuilder;
import dev.traced.SpanContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Collects a span's settings, then starts it through {@link CoreTracer#startSpan}. */
final class CoreSpanBuilder implements SpanBuilder {

    private final CoreTracer tracer;
    private final String operationName;
    private String service;
    private String resource;
    private String spanType;
    private SpanContext parent;
    private boolean noParent;
    private boolean measured;
    /** Alternating keys and values (String, Number or Boolean), applied after start. */
    private List<Object> tags;
    /** Alternating contexts and their attributes, applied after start; null while none. */
    private List<Object> links;

    CoreSpanBuilder(CoreTracer tracer, String operationName) {
        this.tracer = tracer;
        this.operationName = operationName;
    }

    /** The tracer that made this builder: how {@link UnderlyingTracer} sees through a proxy. */
    CoreTracer tracer() {
        return tracer;
    }

    @Override
    public SpanBuilder service(String service) {
        this.service = service;
        return this;
    }

    @Override
    public SpanBuilder resource(String resource) {
        this.resource = resource;
        return this;
    }

    @Override
    public SpanBuilder spanType(String spanType) {
        this.spanType = spanType;
        return this;
    }

    @Override
    public SpanBuilder tag(String key, String value) {
        return addTag(key, value);
    }

    @Override
    public SpanBuilder tag(String key, Number value) {
        return addTag(key, value);
    }

    @Override
    public SpanBuilder tag(String key, boolean value) {
        return addTag(key, value);
    }

    private SpanBuilder addTag(String key, Object value) {
        if (key != null) {
            if (tags == null) {
                tags = new ArrayList<>(8);
            }
            tags.add(key);
            tags.add(value);
        }
        return this;
    }

    @Override
    public SpanBuilder measured() {
        this.measured = true;
        return this;
    }

    @Override
    public SpanBuilder parent(SpanContext parent) {
        this.parent = parent;
        this.noParent = false;
        return this;
    }

    @Override
    public SpanBuilder noParent() {
        this.noParent = true;
        this.parent = null;
        return this;
    }

    @Override
    public SpanBuilder link(SpanContext context, Map<String, String> attributes) {
        if (context != null) {
            if (links == null) {
                links = new ArrayList<>(4);
            }
            links.add(context);
            links.add(attributes);
        }
        return this;
    }

    @Override
    public Span start() {
        return start(true);
    }

    @Override
    public Span startInactive() {
        return start(false);
    }

    private Span start(boolean activate) {
        CoreSpan span = tracer.startSpan(operationName, service, resource, spanType, parent, noParent, activate);
        if (measured) {
            span.setMeasured(true);
        }
        if (tags != null) {
            for (int i = 0; i < tags.size(); i += 2) {
                String key = (String) tags.get(i);
                Object value = tags.get(i + 1);
                if (value instanceof Number number) {
                    span.setTag(key, number);
                } else if (value instanceof Boolean bool) {
                    span.setTag(key, bool.booleanValue());
                } else {
                    span.setTag(key, (String) value);
                }
            }
        }
        if (links != null) {
            for (int i = 0; i < links.size(); i += 2) {
                @SuppressWarnings("unchecked")
                Map<String, String> attributes = (Map<String, String>) links.get(i + 1);
                span.addLink((SpanContext) links.get(i), attributes);
            }
        }
        return span;
    }
}
