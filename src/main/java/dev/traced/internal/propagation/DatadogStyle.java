package dev.traced.internal.propagation;

import dev.traced.internal.trace.PendingTrace;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@code datadog} style: {@code x-datadog-trace-id} / {@code -parent-id} (unsigned decimal, lower
 * 64 bits), {@code -sampling-priority}, {@code -origin} and {@code -tags} (the {@code _dd.p.*} tags,
 * with the upper 64 trace id bits in {@code _dd.p.tid}).
 */
final class DatadogStyle implements HeaderStyle {

    static final String TRACE_ID = "x-datadog-trace-id";
    static final String PARENT_ID = "x-datadog-parent-id";
    static final String SAMPLING_PRIORITY = "x-datadog-sampling-priority";
    static final String ORIGIN = "x-datadog-origin";
    static final String TAGS = "x-datadog-tags";

    /** Longest origin accepted; origins are short words such as {@code synthetics} or {@code rum}. */
    private static final int MAX_ORIGIN_LENGTH = 256;
    /** Tags written first in {@code x-datadog-tags}, in dd-trace-java's order. */
    private static final String[] FIRST_TAGS = {"_dd.p.dm", "_dd.p.tid", "_dd.p.ts", "_dd.p.debug",
        "_dd.p.ksr", "_dd.p.opm"};

    private final int tagsMaxLength;

    /** @param tagsMaxLength {@code dd.trace.x.datadog.tags.max.length}: 0 disables the tags header */
    DatadogStyle(int tagsMaxLength) {
        this.tagsMaxLength = tagsMaxLength;
    }

    @Override
    public String name() {
        return "datadog";
    }

    @Override
    public void inject(OutgoingContext context, BiConsumer<String, String> headers) {
        String traceId = context.traceIdDecimal();
        headers.accept(TRACE_ID, traceId != null ? traceId : HeaderText.unsignedDecimal(context.traceIdLow()));
        headers.accept(PARENT_ID, HeaderText.unsignedDecimal(context.spanId()));
        if (context.samplingPriority() != PendingTrace.UNSET) {
            headers.accept(SAMPLING_PRIORITY, HeaderText.priority(context.samplingPriority()));
        }
        String origin = context.origin();
        if (origin != null && isValidOrigin(origin)) {
            headers.accept(ORIGIN, origin);
        }
        String tags = encodeTags(context);
        if (tags != null) {
            headers.accept(TAGS, tags);
        }
    }

    /** The {@code x-datadog-tags} value, or null when there is none or it may not be sent. */
    private String encodeTags(OutgoingContext context) {
        SmallMap tags = context.propagationTags();
        if (tags.isEmpty()) {
            return null;
        }
        if (tagsMaxLength == 0) {
            context.reportError("disabled");
            return null;
        }
        String encoded = tags.encoded(SmallMap.DATADOG_TAGS);
        if (encoded != null && encoded.length() <= tagsMaxLength) {
            return encoded; // the trace's snapshot, written for an earlier call
        }
        StringBuilder out = HeaderText.scratch();
        for (String key : FIRST_TAGS) {
            String value = tags.get(key);
            if (value != null) {
                appendTag(out, key, value);
            }
        }
        for (int i = 0; i < tags.size(); i++) {
            if (!isFirstTag(tags.keyAt(i))) {
                appendTag(out, tags.keyAt(i), tags.valueAt(i));
            }
        }
        if (out.length() == 0) {
            return null;
        }
        if (out.length() > tagsMaxLength) {
            out.setLength(0);
            Propagation.LOG.debug("datadog-tags-inject", "x-datadog-tags longer than %d not sent", tagsMaxLength);
            context.reportError("inject_max_size");
            return null;
        }
        encoded = HeaderText.take(out);
        if (context.keepTags()) {
            tags.keepEncoded(SmallMap.DATADOG_TAGS, encoded);
        }
        return encoded;
    }

    private static boolean isFirstTag(String key) {
        for (String first : FIRST_TAGS) {
            if (first.equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** Appends one tag; a tag whose key or value the header grammar cannot carry is left out. */
    private static void appendTag(StringBuilder out, String key, String value) {
        if (!key.startsWith("_dd.p.") || key.equals("_dd.p.upstream_services")
                || !isValidTagKey(key, 0, key.length()) || value == null
                || !isValidTagValue(value, 0, value.length())) {
            return;
        }
        if (out.length() > 0) {
            out.append(',');
        }
        out.append(key).append('=').append(value);
    }

    @Override
    public Extracted extract(Function<String, String> headers, Extracted into) {
        String traceIdText = headers.apply(TRACE_ID);
        String parentIdText = headers.apply(PARENT_ID);
        if (traceIdText == null || parentIdText == null) {
            return null;
        }
        String traceIdValue = HeaderText.firstValue(traceIdText);
        long traceId = HeaderText.parseUnsignedDecimal(traceIdValue);
        long parentId = HeaderText.parseUnsignedDecimal(HeaderText.firstValue(parentIdText));
        if (traceId == 0 || parentId == 0) {
            Propagation.LOG.debug("datadog-ids", "ignoring x-datadog-* headers: malformed or zero ids");
            return null;
        }
        Extracted context = into;
        context.traceIdLow = traceId;
        context.spanId = parentId;
        if (traceIdValue.charAt(0) != '0') { // no leading zero: the text is the id's canonical form
            context.traceIdDecimal = traceIdValue;
        }
        String priority = headers.apply(SAMPLING_PRIORITY);
        if (priority != null) {
            context.samplingPriority = HeaderText.parseSmallInt(HeaderText.firstValue(priority), PendingTrace.UNSET);
        }
        String origin = headers.apply(ORIGIN);
        if (origin != null) {
            origin = HeaderText.firstValue(origin);
            if (isValidOrigin(origin)) {
                context.origin = origin;
            }
        }
        String tags = headers.apply(TAGS);
        if (tags != null) {
            decodeTags(tags, context);
        }
        return context;
    }

    private static boolean isValidOrigin(String origin) {
        return !origin.isEmpty() && origin.length() <= MAX_ORIGIN_LENGTH && HeaderText.isPrintableAscii(origin)
                && origin.indexOf(',') < 0;
    }

    /**
     * Reads {@code x-datadog-tags} as dd-trace-java does: over the length limit or with any syntax
     * error, no tag is taken and {@code _dd.propagation_error} says why.
     */
    private void decodeTags(String header, Extracted context) {
        if (tagsMaxLength == 0) {
            context.error("disabled");
            return;
        }
        if (header.length() > tagsMaxLength) {
            Propagation.LOG.debug("datadog-tags-size", "ignoring x-datadog-tags longer than %d", tagsMaxLength);
            context.error("extract_max_size");
            return;
        }
        // Tags go straight into the context (it holds none yet); on an error they are all dropped.
        // Each tag is read in one pass: its key checked up to the '=', its value up to the comma.
        Map<String, String> decoded = context.tags();
        String dm = null;
        int tidFrom = -1;
        int tidTo = -1;
        int position = 0;
        int length = header.length();
        while (position < length) {
            int equals = position;
            char c = 0;
            while (equals < length && (c = header.charAt(equals)) != '=') {
                if (c < 33 || c > 126 || c == ',') { // key chars: ASCII 33 to 126 except '=' and ','
                    decodingError(context);
                    return;
                }
                equals++;
            }
            int end = equals + 1;
            while (end < length && (c = header.charAt(end)) != ',') {
                if (c < 32 || c > 126) { // value chars: ASCII 32 to 126 except ','
                    decodingError(context);
                    return;
                }
                end++;
            }
            if (equals == length || equals == position || end == equals + 1
                    || end + 1 == length) { // no '=', an empty key or value, or a trailing comma
                decodingError(context);
                return;
            }
            if (isKey(header, position, equals, "_dd.p.tid")) {
                // The upper trace id bits: parsed in place, not kept as a tag.
                tidFrom = equals + 1;
                tidTo = end;
            } else if (header.startsWith("_dd.p.", position)
                    && !isKey(header, position, equals, "_dd.p.upstream_services")) {
                if (isKey(header, position, equals, "_dd.p.dm")) {
                    dm = HeaderText.decisionMaker(header, equals + 1, end);
                    decoded.put("_dd.p.dm", dm);
                } else {
                    decoded.put(header.substring(position, equals), header.substring(equals + 1, end));
                }
            }
            position = end + 1;
        }
        if (dm != null && !HeaderText.isValidDecisionMaker(dm)) {
            decodingError(context);
            return;
        }
        if (tidFrom >= 0) {
            // 16 lower-case hex digits, checked as they are read.
            long upper = tidTo - tidFrom == 16 ? HeaderText.lowerHex8(header, tidFrom) : -1;
            long lower = upper >= 0 ? HeaderText.lowerHex8(header, tidFrom + 8) : -1;
            if (lower >= 0) {
                context.traceIdHigh = upper << 32 | lower;
            } else {
                context.error("malformed_tid " + header.substring(tidFrom, tidTo));
            }
        }
    }

    private static boolean isKey(String header, int from, int to, String key) {
        return to - from == key.length() && header.startsWith(key, from);
    }

    private static void decodingError(Extracted context) {
        Propagation.LOG.debug("datadog-tags-syntax", "ignoring malformed x-datadog-tags");
        context.tags().clear();
        context.error("decoding_error");
    }

    /** Key chars: ASCII 33 to 126 except {@code =} and {@code ,}. */
    private static boolean isValidTagKey(CharSequence text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 33 || c > 126 || c == '=' || c == ',') {
                return false;
            }
        }
        return true;
    }

    /** Value chars: ASCII 32 to 126 except {@code ,}. */
    private static boolean isValidTagValue(CharSequence text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 32 || c > 126 || c == ',') {
                return false;
            }
        }
        return true;
    }
}
