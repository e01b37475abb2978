package dev.traced.internal.encoding;

import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.SpanEventData;

import java.util.List;
import java.util.Map;

/**
 * Span events as the JSON of the {@code events} tag, for Agents that do not read the native
 * {@code span_events} field, in dd-trace-java's shape:
 * {@code [{"time_unix_nano":1700000000000000000,"name":"retry","attributes":{"attempt":2,"ok":false}}]}.
 * As in dd-trace-java the tag stays under 25,000 characters (the Agent's limit for a tag value):
 * events that do not fit are left out, with a debug log. Not thread-safe: the encoder's thread owns it.
 */
final class SpanEventsJson {

    static final int MAX_CHARS = 25_000;
    private static final RateLimitedLog LOG = RateLimitedLog.of(SpanEventsJson.class);

    private final StringBuilder out = new StringBuilder(256);
    private final StringBuilder event = new StringBuilder(256);

    String toJson(List<SpanEventData> events) {
        out.setLength(0);
        out.append('[');
        int written = 0;
        for (SpanEventData data : events) {
            event.setLength(0);
            append(data);
            if (out.length() + event.length() + 2 > MAX_CHARS) {
                LOG.debug("events-tag-full", "the events tag is full; %d span events left out", events.size() - written);
                break;
            }
            if (written > 0) {
                out.append(',');
            }
            out.append(event);
            written++;
        }
        return out.append(']').toString();
    }

    private void append(SpanEventData data) {
        event.append("{\"time_unix_nano\":").append(data.epochNanos()).append(",\"name\":");
        string(data.name());
        Map<String, Object> attributes = data.attributes();
        if (!attributes.isEmpty()) {
            event.append(",\"attributes\":{");
            boolean first = true;
            for (Map.Entry<String, Object> entry : attributes.entrySet()) {
                if (!first) {
                    event.append(',');
                }
                first = false;
                string(entry.getKey());
                event.append(':');
                value(entry.getValue());
            }
            event.append('}');
        }
        event.append('}');
    }

    private void value(Object value) {
        if (value instanceof String text) {
            string(text);
        } else if (value instanceof Double number) {
            double d = number;
            if (Double.isFinite(d)) {
                event.append(d);
            } else {
                string(Double.toString(d)); // JSON has no NaN or Infinity
            }
        } else if (value instanceof List<?> list) {
            event.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    event.append(',');
                }
                value(list.get(i));
            }
            event.append(']');
        } else {
            event.append(value); // Long or Boolean
        }
    }

    private void string(String text) {
        event.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> event.append("\\\"");
                case '\\' -> event.append("\\\\");
                case '\n' -> event.append("\\n");
                case '\r' -> event.append("\\r");
                case '\t' -> event.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validPair(text, i)) {
                        event.append(String.format("\\u%04x", (int) c));
                    } else {
                        event.append(c);
                    }
                }
            }
        }
        event.append('"');
    }

    /** A surrogate that belongs to a pair (either half); a lone one is escaped so the UTF-8 stays valid. */
    private static boolean validPair(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
