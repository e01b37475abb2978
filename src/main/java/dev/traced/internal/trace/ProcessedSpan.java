package dev.traced.internal.trace;

import dev.traced.MutableSpan;

import java.util.List;
import java.util.Map;

/**
 * A finished span handed to trace processors: reads are the span's, and changes go to the span
 * directly, which is safe because the writer has not seen it yet.
 */
final class ProcessedSpan implements MutableSpan {

    private final CoreSpan span;

    ProcessedSpan(CoreSpan span) {
        this.span = span;
    }

    CoreSpan span() {
        return span;
    }

    @Override
    public MutableSpan setTag(String key, String value) {
        if (key != null && !applySpecialTag(key, value)) {
            span.storeMeta(key, value);
        }
        return this;
    }

    @Override
    public MutableSpan setTag(String key, Number value) {
        if (key != null) {
            span.storeMetric(key, value);
        }
        return this;
    }

    @Override
    public MutableSpan setTag(String key, boolean value) {
        return setTag(key, value ? "true" : "false");
    }

    /** The tags that name the span rather than tag it, as on a live span. */
    private boolean applySpecialTag(String key, String value) {
        if (value == null) {
            return false;
        }
        switch (key) {
            case "service.name", "service" -> setService(value);
            case "resource.name" -> setResource(value);
            case "span.type" -> setSpanType(value);
            case "error" -> setError(value.equalsIgnoreCase("true") || value.equals("1"));
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public MutableSpan setService(String service) {
        span.processorSetNames(service, null, null, null);
        return this;
    }

    @Override
    public MutableSpan setOperationName(String operationName) {
        span.processorSetNames(null, operationName, null, null);
        return this;
    }

    @Override
    public MutableSpan setResource(String resource) {
        span.processorSetNames(null, null, resource, null);
        return this;
    }

    @Override
    public MutableSpan setSpanType(String spanType) {
        span.processorSetNames(null, null, null, spanType == null ? "" : spanType);
        return this;
    }

    @Override
    public MutableSpan setError(boolean error) {
        span.processorSetError(error);
        return this;
    }

    @Override
    public boolean isLocalRoot() {
        return span.isLocalRoot();
    }

    @Override
    public String traceId() {
        return span.traceId();
    }

    @Override
    public String spanId() {
        return span.spanId();
    }

    @Override
    public String parentId() {
        return span.parentId();
    }

    @Override
    public String service() {
        return span.service();
    }

    @Override
    public String operationName() {
        return span.operationName();
    }

    @Override
    public String resource() {
        return span.resource();
    }

    @Override
    public String spanType() {
        return span.spanType();
    }

    @Override
    public long startEpochNanos() {
        return span.startEpochNanos();
    }

    @Override
    public long durationNanos() {
        return span.durationNanos();
    }

    @Override
    public boolean isError() {
        return span.isError();
    }

    @Override
    public Map<String, String> meta() {
        return span.meta();
    }

    @Override
    public Map<String, Number> metrics() {
        return span.metrics();
    }

    @Override
    public List<SpanLinkData> links() {
        return span.links();
    }

    @Override
    public List<SpanEventData> events() {
        return span.events();
    }

    @Override
    public String toString() {
        return span.toString();
    }
}
