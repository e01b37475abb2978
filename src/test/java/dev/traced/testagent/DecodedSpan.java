package dev.traced.testagent;

import java.util.Map;

/**
 * One span as the test Agent decoded it from a {@code /v0.4/traces} payload. Ids are the raw 64
 * bits (compare with {@link Long#toUnsignedString} when the high bit matters).
 */
public record DecodedSpan(String service, String name, String resource, long traceId, long spanId, long parentId,
                          long start, long duration, String type, int error, Map<String, Number> metrics,
                          Map<String, String> meta) {
}
