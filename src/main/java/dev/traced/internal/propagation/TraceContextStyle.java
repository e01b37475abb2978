package dev.traced.internal.propagation;

import dev.traced.internal.trace.Ids;
import dev.traced.internal.trace.PendingTrace;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@code tracecontext} style, W3C Trace Context Level 2: {@code traceparent}
 * ({@code 00-<32 hex trace id>-<16 hex span id>-<flags>}) and {@code tracestate}, whose {@code dd}
 * member carries the Datadog state ({@code s:} priority, {@code o:} origin, {@code p:} span id,
 * {@code t.<name>:} for each {@code _dd.p.<name>} tag). Other vendors' members are passed on after it.
 */
final class TraceContextStyle implements HeaderStyle {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";
    /** Length of a version 00 traceparent. */
    private static final int TRACEPARENT_LENGTH = 55;
    /** Longest {@code dd} member value; tags that do not fit are left out. */
    private static final int MAX_DD_VALUE_LENGTH = 256;

    @Override
    public String name() {
        return "tracecontext";
    }

    // ---- inject -------------------------------------------------------------------------------

    @Override
    public void inject(OutgoingContext context, BiConsumer<String, String> headers) {
        int priority = context.samplingPriority();
        boolean sampled = priority != PendingTrace.UNSET && priority > 0;
        StringBuilder parent = new StringBuilder(TRACEPARENT_LENGTH);
        parent.append("00-").append(Ids.toHex32(context.traceIdHigh(), context.traceIdLow())).append('-')
                .append(Ids.toHex16(context.spanId())).append(sampled ? "-01" : "-00");
        headers.accept(TRACEPARENT, parent.toString());
        headers.accept(TRACESTATE, traceState(context));
    }

    private static String traceState(OutgoingContext context) {
        StringBuilder out = new StringBuilder(64);
        out.append("dd=");
        int start = out.length();
        if (context.samplingPriority() != PendingTrace.UNSET) {
            out.append("s:").append(context.samplingPriority());
        }
        if (context.origin() != null && !context.origin().isEmpty()) {
            appendElement(out, start, "o:", context.origin());
        }
        appendElement(out, start, "p:", Ids.toHex16(context.spanId()));
        for (Map.Entry<String, String> tag : context.propagationTags().entrySet()) {
            String key = tag.getKey();
            if (key.startsWith("_dd.p.") && key.length() > 6 && tag.getValue() != null) {
                int before = out.length();
                appendElement(out, start, "t." + encodeKey(key.substring(6)) + ":", tag.getValue());
                if (out.length() - start > MAX_DD_VALUE_LENGTH) {
                    out.setLength(before); // does not fit: dd-trace-java skips the tag
                }
            }
        }
        if (out.charAt(out.length() - 1) == ' ') {
            out.setCharAt(out.length() - 1, '_'); // a member value may not end in a space
        }
        appendOtherVendors(out, context.traceState());
        return out.toString();
    }

    private static void appendElement(StringBuilder out, int start, String prefix, String value) {
        if (out.length() > start) {
            out.append(';');
        }
        out.append(prefix);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '=') {
                out.append('~');
            } else if (c < 0x20 || c > 0x7e || c == ',' || c == ';' || c == '~') {
                out.append('_');
            } else {
                out.append(c);
            }
        }
    }

    private static String encodeKey(String name) {
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c > 0x7e || c == ',' || c == ';' || c == '=' || c == ':' || c == '~') {
                if (out == null) {
                    out = new StringBuilder(name);
                }
                out.setCharAt(i, '_');
            }
        }
        return out == null ? name : out.toString();
    }

    /** Appends the other vendors' members, checked again since a context may come from anywhere. */
    private static void appendOtherVendors(StringBuilder out, String others) {
        if (others == null || others.isEmpty()) {
            return;
        }
        Map<String, String> members = TraceState.parse(others);
        if (members == null) {
            return;
        }
        int count = 1;
        for (Map.Entry<String, String> member : members.entrySet()) {
            if (count == TraceState.MAX_MEMBERS) {
                break;
            }
            if (!member.getKey().equals("dd")) {
                out.append(',').append(member.getKey()).append('=').append(member.getValue());
                count++;
            }
        }
    }

    // ---- extract ------------------------------------------------------------------------------

    @Override
    public Extracted extract(Function<String, String> headers) {
        String traceParent = headers.apply(TRACEPARENT);
        if (traceParent == null) {
            return null; // a tracestate without traceparent means nothing
        }
        Extracted context = parseTraceParent(HeaderText.trimOws(traceParent));
        if (context == null) {
            return null;
        }
        boolean sampled = context.sampledFlag;
        String header = headers.apply(TRACESTATE);
        Map<String, String> members = header == null ? null : TraceState.parse(header);
        int priority = PendingTrace.UNSET;
        if (members != null) {
            context.fullTraceState = header;
            String dd = members.remove("dd");
            if (dd != null) {
                priority = parseDatadogMember(dd, context);
            }
            context.traceState = join(members);
        }
        // Reconcile the flag with s: (the flag wins when they disagree, decided by the default sampler).
        if (priority != PendingTrace.UNSET && (priority > 0) == sampled) {
            context.samplingPriority = priority;
        } else {
            context.samplingPriority = sampled ? PendingTrace.SAMPLER_KEEP : PendingTrace.SAMPLER_DROP;
            if (sampled) {
                context.tags.put("_dd.p.dm", "-0");
            } else {
                context.tags.remove("_dd.p.dm");
            }
        }
        if (context.lastParentId != null) {
            context.tags.put("_dd.parent_id", context.lastParentId);
        }
        return context;
    }

    /**
     * Validates {@code traceparent}: version 2 lower hex and not {@code ff}; version 00 exactly 55
     * characters; a later version at least 55, with a {@code -} after the flags when longer; ids and
     * flags lower hex; neither id zero. Several header lines (joined by a comma) are invalid.
     */
    static Extracted parseTraceParent(String value) {
        int length = value.length();
        if (length < TRACEPARENT_LENGTH || value.indexOf(',') >= 0) {
            return null;
        }
        if (!HeaderText.isLowerHex(value, 0, 2) || value.startsWith("ff")) {
            return null;
        }
        boolean version00 = value.startsWith("00");
        if (version00 ? length != TRACEPARENT_LENGTH
                : length > TRACEPARENT_LENGTH && value.charAt(TRACEPARENT_LENGTH) != '-') {
            return null;
        }
        if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-'
                || !HeaderText.isLowerHex(value, 3, 35) || !HeaderText.isLowerHex(value, 36, 52)
                || !HeaderText.isLowerHex(value, 53, 55)) {
            return null;
        }
        long high = Ids.parseHex64(value, 3, 19);
        long low = Ids.parseHex64(value, 19, 35);
        long spanId = Ids.parseHex64(value, 36, 52);
        if (low == 0 || spanId == 0) {
            return null; // an all-zero id is invalid; a zero lower half cannot be a Datadog trace id
        }
        Extracted context = new Extracted("tracecontext");
        context.traceIdHigh = high;
        context.traceIdLow = low;
        context.spanId = spanId;
        context.sampledFlag = (Character.digit(value.charAt(54), 16) & 1) == 1;
        return context;
    }

    /** Reads the {@code dd} member into the context; returns its {@code s:} priority or UNSET. */
    private static int parseDatadogMember(String dd, Extracted context) {
        int priority = PendingTrace.UNSET;
        int position = 0;
        while (position < dd.length()) {
            int semicolon = dd.indexOf(';', position);
            int end = semicolon < 0 ? dd.length() : semicolon;
            int colon = dd.indexOf(':', position);
            if (colon > position && colon < end) {
                String key = dd.substring(position, colon);
                String value = dd.substring(colon + 1, end);
                if (key.equals("s")) {
                    priority = HeaderText.parseSmallInt(value, PendingTrace.UNSET);
                } else if (key.equals("o")) {
                    context.origin = value.isEmpty() ? null : value.replace('~', '=');
                } else if (key.equals("p")) {
                    if (value.length() == 16 && HeaderText.isLowerHex(value)) {
                        context.lastParentId = value;
                    }
                } else if (key.startsWith("t.") && key.length() > 2 && !value.isEmpty()) {
                    readTag("_dd.p." + key.substring(2), value.replace('~', '='), context);
                }
            }
            position = end + 1;
        }
        return priority;
    }

    private static void readTag(String key, String value, Extracted context) {
        if (key.equals("_dd.p.tid")) {
            // The traceparent carries the upper bits; the tag may only confirm them.
            if (!HeaderText.isValidTid(value)) {
                context.error("malformed_tid " + value);
            } else if (Ids.parseHex64(value, 0, 16) != context.traceIdHigh) {
                context.error("inconsistent_tid " + value);
            }
        } else if (key.equals("_dd.p.dm") && !HeaderText.isValidDecisionMaker(value)) {
            context.error("decoding_error");
        } else {
            context.tags.put(key, value);
        }
    }

    private static String join(Map<String, String> members) {
        if (members.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> member : members.entrySet()) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(member.getKey()).append('=').append(member.getValue());
        }
        return out.toString();
    }
}
