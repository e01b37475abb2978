package dev.traced.testagent;

import java.util.List;
import java.util.Map;

/**
 * One span as the test Agent decoded it from a {@code /v0.4/traces} payload. Ids are the raw 64
 * bits (compare with {@link Long#toUnsignedString} when the high bit matters). {@code spanLinks} and
 * {@code spanEvents} are the native fields (empty when the span has none).
 */
public record DecodedSpan(String service, String name, String resource, long traceId, long spanId, long parentId,
                          long start, long duration, String type, int error, Map<String, Number> metrics,
                          Map<String, String> meta, List<Link> spanLinks, List<Event> spanEvents) {

    public DecodedSpan(String service, String name, String resource, long traceId, long spanId, long parentId,
                       long start, long duration, String type, int error, Map<String, Number> metrics,
                       Map<String, String> meta) {
        this(service, name, resource, traceId, spanId, parentId, start, duration, type, error, metrics, meta,
                List.of(), List.of());
    }

    /**
     * The Agent's {@code SpanLink}: {@code traceIdHigh} 0 and {@code tracestate} null when absent;
     * {@code flags} null when absent (else the uint32, bit 31 set).
     */
    public record Link(long traceId, long traceIdHigh, long spanId, Map<String, String> attributes,
                       String tracestate, Long flags) {
    }

    /**
     * The Agent's {@code SpanEvent}; attribute values decoded from its {@code AttributeAnyValue} to
     * String, Boolean, Long, Double, or a List of those.
     */
    public record Event(long timeUnixNano, String name, Map<String, Object> attributes) {
    }
}
