package dev.traced.internal.propagation;

import dev.traced.internal.trace.Ids;

import java.util.List;

/**
 * Span links to contexts that lost the extraction (another trace id than the winner), as the JSON
 * dd-trace-java writes in {@code _dd.span_links} for the v0.4 payload:
 * {@code [{"trace_id":"<32 hex>","span_id":"<16 hex>","flags":1,"tracestate":"...",
 * "attributes":{"reason":"terminated_context","context_headers":"tracecontext"}}]}.
 */
final class SpanLinks {

    private SpanLinks() {
    }

    static String toJson(List<Extracted> links) {
        StringBuilder out = new StringBuilder(160 * links.size());
        out.append('[');
        for (Extracted link : links) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append("{\"trace_id\":\"").append(Ids.toHex32(link.traceIdHigh, link.traceIdLow))
                    .append("\",\"span_id\":\"").append(Ids.toHex16(link.spanId)).append('"');
            if (link.samplingPriority != Integer.MIN_VALUE) {
                out.append(",\"flags\":").append(link.samplingPriority > 0 ? 1 : 0);
            }
            if (link.fullTraceState != null) {
                out.append(",\"tracestate\":");
                appendString(out, link.fullTraceState);
            }
            out.append(",\"attributes\":{\"reason\":\"terminated_context\",\"context_headers\":\"")
                    .append(link.style).append("\"}}");
        }
        return out.append(']').toString();
    }

    /** A JSON string; the tracestate grammar allows {@code "} and {@code \}, nothing needing more. */
    private static void appendString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
