package dev.traced.testagent;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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

    /** The one span of {@code trace} that {@code which} accepts; fails, naming it {@code what}, unless exactly one does. */
    public static DecodedSpan only(List<DecodedSpan> trace, Predicate<DecodedSpan> which, String what) {
        List<DecodedSpan> found = trace.stream().filter(which).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + what + " in " + trace + " ==> expected: <1> but was: <"
                    + found.size() + ">");
        }
        return found.get(0);
    }

    /** The one span of {@code trace} with this operation name; fails unless exactly one has it. */
    public static DecodedSpan named(List<DecodedSpan> trace, String name) {
        return only(trace, s -> name.equals(s.name()), name);
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
