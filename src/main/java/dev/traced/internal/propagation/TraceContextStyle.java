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
    /** The last other-vendors list found ready to pass on; compared by identity. */
    private static volatile String lastPassOnReady;
    private static volatile int lastPassOnReadyFrom;

    /** trace-flags bit 0: the caller may have recorded the trace. */
    private static final int SAMPLED = 0x01;
    /** trace-flags bit 1 (Level 2): at least the right-most 7 bytes of the trace id are random. */
    private static final int RANDOM_TRACE_ID = 0x02;
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
        byte[] parent = HeaderText.bytes(TRACEPARENT_LENGTH);
        parent[0] = '0';
        parent[1] = '0';
        parent[2] = '-';
        int position = HeaderText.putHex(parent, 3, context.traceIdHigh());
        position = HeaderText.putHex(parent, position, context.traceIdLow());
        parent[position++] = '-';
        position = HeaderText.putHex(parent, position, context.spanId());
        parent[position++] = '-';
        parent[position++] = '0';
        // The other flags are reserved: "Vendors MUST set those to zero".
        parent[position++] = (byte) ('0' + (context.randomTraceId() ? RANDOM_TRACE_ID : 0) + (sampled ? SAMPLED : 0));
        String traceParent = HeaderText.ascii(parent, position);
        String traceState = traceState(context);
        headers.accept(TRACEPARENT, traceParent);
        headers.accept(TRACESTATE, traceState);
    }

    /**
     * {@code dd=[s:<priority>;][o:<origin>;]p:<span id>[;t.<name>:<value>]...[,<other vendors>]}, written
     * into the thread's byte buffer: the tag elements are the trace's (kept with its tag snapshot),
     * the other vendors' list was checked once; only the priority, origin and span id are new.
     */
    private static String traceState(OutgoingContext context) {
        int priority = context.samplingPriority();
        String priorityText = priority == PendingTrace.UNSET ? null : HeaderText.priority(priority);
        String origin = context.origin();
        boolean hasOrigin = origin != null && !origin.isEmpty();
        int prefixLength = (priorityText == null ? 0 : 3 + priorityText.length())
                + (hasOrigin ? 3 + origin.length() : 0) + 18;
        SmallMap tagMap = context.propagationTags();
        String tags = tagMap.isEmpty() ? "" : tagMap.encoded(SmallMap.TRACE_STATE_TAGS);
        if (tags == null && context.keepTags()) {
            tags = tagElements(tagMap);
            tagMap.keepEncoded(SmallMap.TRACE_STATE_TAGS, tags);
        }
        // Not kept (a trace's first call, a remote context passed on): written straight into the buffer.
        int tagsLength = tags != null ? tags.length() : tagElementsLength(tagMap);
        if (prefixLength + tagsLength > MAX_DD_VALUE_LENGTH) {
            return traceStateSlowly(context); // a tag does not fit the dd member: decided tag by tag
        }
        String traceState = context.traceState();
        String others = otherVendors(traceState, context.traceStateFrom());
        int othersFrom = others == traceState ? context.traceStateFrom() : 0;
        int capacity = 3 + prefixLength + tagsLength + (others == null ? 0 : 1 + others.length() - othersFrom);
        byte[] out = HeaderText.bytes(capacity);
        out[0] = 'd';
        out[1] = 'd';
        out[2] = '=';
        int position = 3;
        if (priorityText != null) {
            out[position++] = 's';
            out[position++] = ':';
            position = HeaderText.put(out, position, priorityText);
            out[position++] = ';';
        }
        if (hasOrigin) {
            out[position++] = 'o';
            out[position++] = ':';
            for (int i = 0; i < origin.length(); i++) {
                out[position++] = (byte) valueChar(origin.charAt(i));
            }
            out[position++] = ';';
        }
        out[position++] = 'p';
        out[position++] = ':';
        position = HeaderText.putHex(out, position, context.spanId());
        position = tags != null ? HeaderText.put(out, position, tags) : putTagElements(out, position, tagMap);
        if (others != null) {
            out[position++] = ',';
            position = HeaderText.put(out, position, others, othersFrom);
        }
        return HeaderText.ascii(out, position);
    }

    /**
     * The {@code ;t.<name>:<value>} elements of all the {@code _dd.p.*} tags, whatever their length:
     * kept with the trace's tag snapshot, which is the same map for each of its injections.
     */
    private static String tagElements(SmallMap tags) {
        StringBuilder out = HeaderText.scratch();
        for (int i = 0; i < tags.size(); i++) {
            String key = tags.keyAt(i);
            String value = tags.valueAt(i);
            if (key.startsWith("_dd.p.") && key.length() > 6 && value != null) {
                out.append(";t.");
                appendKey(out, key, 6);
                out.append(':');
                appendValue(out, value);
            }
        }
        if (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
            out.setCharAt(out.length() - 1, '_'); // a member value may not end in a space
        }
        return HeaderText.take(out);
    }

    /** The length of {@link #tagElements}, without making it. */
    private static int tagElementsLength(SmallMap tags) {
        int length = 0;
        for (int i = 0; i < tags.size(); i++) {
            String key = tags.keyAt(i);
            String value = tags.valueAt(i);
            if (key.startsWith("_dd.p.") && key.length() > 6 && value != null) {
                length += 4 + key.length() - 6 + value.length(); // ";t." + name + ":" + value
            }
        }
        return length;
    }

    /** Writes {@link #tagElements} at {@code position}; returns the position after them. */
    private static int putTagElements(byte[] out, int position, SmallMap tags) {
        int start = position;
        for (int i = 0; i < tags.size(); i++) {
            String key = tags.keyAt(i);
            String value = tags.valueAt(i);
            if (key.startsWith("_dd.p.") && key.length() > 6 && value != null) {
                out[position++] = ';';
                out[position++] = 't';
                out[position++] = '.';
                for (int c = 6; c < key.length(); c++) {
                    out[position++] = (byte) keyChar(key.charAt(c));
                }
                out[position++] = ':';
                for (int c = 0; c < value.length(); c++) {
                    out[position++] = (byte) valueChar(value.charAt(c));
                }
            }
        }
        if (position > start && out[position - 1] == ' ') {
            out[position - 1] = '_'; // a member value may not end in a space
        }
        return position;
    }

    /** Written tag by tag: a tag that does not fit the {@code dd} member is skipped, as dd-trace-java does. */
    private static String traceStateSlowly(OutgoingContext context) {
        String traceState = context.traceState();
        String others = otherVendors(traceState, context.traceStateFrom()); // before the scratch builder is taken
        int othersFrom = others == traceState ? context.traceStateFrom() : 0;
        StringBuilder out = HeaderText.scratch();
        out.append("dd=");
        int start = out.length();
        if (context.samplingPriority() != PendingTrace.UNSET) {
            out.append("s:").append(context.samplingPriority());
        }
        if (context.origin() != null && !context.origin().isEmpty()) {
            startElement(out, start).append("o:");
            appendValue(out, context.origin());
        }
        startElement(out, start).append("p:");
        HeaderText.appendHex(out, context.spanId());
        SmallMap tags = context.propagationTags();
        for (int i = 0; i < tags.size(); i++) {
            String key = tags.keyAt(i);
            String value = tags.valueAt(i);
            if (key.startsWith("_dd.p.") && key.length() > 6 && value != null) {
                int before = out.length();
                startElement(out, start).append("t.");
                appendKey(out, key, 6);
                out.append(':');
                appendValue(out, value);
                if (out.length() - start > MAX_DD_VALUE_LENGTH) {
                    out.setLength(before); // does not fit: dd-trace-java skips the tag
                    Propagation.LOG.debug("w3c-dd-size", "a tag does not fit the 256-character dd member; not sent");
                }
            }
        }
        if (out.charAt(out.length() - 1) == ' ') {
            out.setCharAt(out.length() - 1, '_'); // a member value may not end in a space
        }
        if (others != null) {
            out.append(',').append(others, othersFrom, others.length());
        }
        return HeaderText.take(out);
    }

    private static StringBuilder startElement(StringBuilder out, int start) {
        return out.length() > start ? out.append(';') : out;
    }

    /** A value in the dd member: {@code =} becomes {@code ~}; separators and unsafe chars become {@code _}. */
    private static void appendValue(StringBuilder out, String value) {
        int clean = 0;
        while (clean < value.length() && isPlainValueChar(value.charAt(clean))) {
            clean++;
        }
        if (clean == value.length()) {
            out.append(value); // the usual case: copied at once
            return;
        }
        out.append(value, 0, clean);
        for (int i = clean; i < value.length(); i++) {
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

    /** One character of a dd member value, as {@link #appendValue} writes it. */
    private static char valueChar(char c) {
        if (isPlainValueChar(c)) {
            return c;
        }
        return c == '=' ? '~' : c < 0x20 || c > 0x7e || c == ',' || c == ';' || c == '~' ? '_' : c;
    }

    private static boolean isPlainValueChar(char c) {
        return c >= 0x20 && c <= 0x7e && c != '=' && c != ',' && c != ';' && c != '~';
    }

    private static void appendKey(StringBuilder out, String key, int from) {
        for (int i = from; i < key.length(); i++) {
            out.append(keyChar(key.charAt(i)));
        }
    }

    /** One character of a tag name in the dd member: separators and unsafe characters become {@code _}. */
    private static char keyChar(char c) {
        boolean unsafe = c <= 0x20 || c > 0x7e || c == ',' || c == ';' || c == '=' || c == ':' || c == '~';
        return unsafe ? '_' : c;
    }

    /**
     * The other vendors' members to write after the {@code dd} one, checked again since a context may
     * come from anywhere: the list itself when it can go as it is (what an extraction keeps), else
     * its valid members without {@code dd} and repeats, or null when none.
     */
    private static String otherVendors(String source, int from) {
        if (source == null || source.length() <= from) {
            return null;
        }
        if ((source == lastPassOnReady && from == lastPassOnReadyFrom) || TraceState.isPassOnReady(source, from)) {
            // What an extraction made: checked without allocating, and not again for the next call
            // of the same trace (a benign race: the fields only ever hold a list that passed; a text
            // comes with one start, the one its extraction found).
            if (source != lastPassOnReady || from != lastPassOnReadyFrom) {
                lastPassOnReadyFrom = from;
                lastPassOnReady = source;
            }
            return source; // from `from`
        }
        String others = from == 0 ? source : source.substring(from);
        int[] members = TraceState.parse(others);
        if (members == null) {
            return null;
        }
        StringBuilder out = HeaderText.scratch();
        int written = 1;
        int count = TraceState.count(members);
        for (int i = 0; i < count && written < TraceState.MAX_MEMBERS; i++) {
            if (!TraceState.hasKey(others, members, i, "dd")) {
                if (out.length() > 0) {
                    out.append(',');
                }
                TraceState.appendMember(out, others, members, i);
                written++;
            }
        }
        return out.length() == 0 ? null : HeaderText.take(out);
    }

    // ---- extract ------------------------------------------------------------------------------

    @Override
    public Extracted extract(Function<String, String> headers, Extracted into) {
        return extract(headers, null, into);
    }

    /**
     * Another style's context won: this one is only merged into it or linked. Its {@code t.*} elements
     * are not read (the winner's tags are the trace's), nor its {@code s:} and {@code o:} (a merge
     * keeps the winner's; a link's flags follow the sampled flag, which {@code s:} may only agree
     * with), and its {@code p:} only when its span differs from the winner's: that is the one case a
     * merge uses it ({@code _dd.parent_id}).
     */
    @Override
    public Extracted extractAfterWinner(Function<String, String> headers, Extracted winner, Extracted into) {
        return extract(headers, winner, into);
    }

    private Extracted extract(Function<String, String> headers, Extracted winner, Extracted into) {
        boolean readTags = winner == null;
        String traceParent = headers.apply(TRACEPARENT);
        if (traceParent == null) {
            return null; // a tracestate without traceparent means nothing
        }
        Extracted context = parseTraceParent(HeaderText.trimOws(traceParent), into);
        if (context == null) {
            Propagation.LOG.debug("w3c-traceparent", "ignoring an invalid traceparent (and its tracestate)");
            return null;
        }
        boolean readDatadogMember = readTags || context.spanId != winner.spanId;
        boolean sampled = context.sampledFlag;
        String header = headers.apply(TRACESTATE);
        int[] members = header == null ? null : TraceState.parse(header);
        int priority = PendingTrace.UNSET;
        if (members == null && header != null) {
            Propagation.LOG.debug("w3c-tracestate", "ignoring an invalid tracestate; the traceparent is used");
        }
        if (members != null) {
            context.fullTraceState = header;
            priority = readMembers(header, members, context, readTags, readDatadogMember);
        }
        // Reconcile the flag with s: (the flag wins when they disagree, decided by the default sampler).
        if (priority != PendingTrace.UNSET && (priority > 0) == sampled) {
            context.samplingPriority = priority;
        } else {
            context.samplingPriority = sampled ? PendingTrace.SAMPLER_KEEP : PendingTrace.SAMPLER_DROP;
            if (!readTags) {
                return context;
            } else if (sampled) {
                context.tags().put("_dd.p.dm", "-0");
            } else {
                if (context.tagsOrNull() != null) {
                    context.tagsOrNull().remove("_dd.p.dm");
                }
            }
        }
        return context; // Propagation adds _dd.parent_id from p: when this context is the one used
    }

    /**
     * Validates {@code traceparent}: version 2 lower hex and not {@code ff}; version 00 exactly 55
     * characters; a later version at least 55, with a {@code -} after the flags when longer; ids and
     * flags lower hex; neither id zero. Several header lines (joined by a comma) are invalid.
     */
    static Extracted parseTraceParent(String value) {
        return parseTraceParent(value, null);
    }

    /**
     * As {@link #parseTraceParent(String)}, into {@code into} when not null (it holds nothing yet).
     * Each hex digit is checked and added in one step: the ids are read in the pass that validates them.
     */
    private static Extracted parseTraceParent(String value, Extracted into) {
        int length = value.length();
        if (length < TRACEPARENT_LENGTH) {
            return null;
        }
        int version = HeaderText.lowerHexDigit(value.charAt(0)) << 4 | HeaderText.lowerHexDigit(value.charAt(1));
        if (version < 0 || version == 0xff) {
            return null;
        }
        // A version 00 value is checked character by character below: it cannot hold a comma.
        if (version == 0 ? length != TRACEPARENT_LENGTH
                : (length > TRACEPARENT_LENGTH && value.charAt(TRACEPARENT_LENGTH) != '-') || value.indexOf(',') >= 0) {
            return null;
        }
        if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return null;
        }
        // The ids in 8-digit halves, each -1 when not lower-case hex.
        long high1 = HeaderText.lowerHex8(value, 3);
        long high2 = HeaderText.lowerHex8(value, 11);
        long low1 = HeaderText.lowerHex8(value, 19);
        long low2 = HeaderText.lowerHex8(value, 27);
        long span1 = HeaderText.lowerHex8(value, 36);
        long span2 = HeaderText.lowerHex8(value, 44);
        int flagsHigh = HeaderText.lowerHexDigit(value.charAt(53));
        int flags = HeaderText.lowerHexDigit(value.charAt(54));
        if ((high1 | high2 | low1 | low2 | span1 | span2 | flagsHigh | flags) < 0) {
            return null;
        }
        long high = high1 << 32 | high2;
        long low = low1 << 32 | low2;
        long spanId = span1 << 32 | span2;
        if (low == 0 || spanId == 0) {
            return null; // an all-zero id is invalid; a zero lower half cannot be a Datadog trace id
        }
        Extracted context = into != null ? into : new Extracted("tracecontext");
        context.traceIdHigh = high;
        context.traceIdLow = low;
        context.spanId = spanId;
        context.sampledFlag = (flags & SAMPLED) != 0;
        context.randomTraceId = (flags & RANDOM_TRACE_ID) != 0;
        return context;
    }

    /**
     * Reads the {@code dd} member into the context and keeps the other members to pass on; returns
     * the {@code s:} priority or UNSET.
     */
    private static int readMembers(String header, int[] members, Extracted context, boolean readTags,
                                   boolean readDatadogMember) {
        int priority = PendingTrace.UNSET;
        int count = TraceState.count(members);
        // The other members usually sit side by side after the dd one: then they are cut out in one piece.
        int othersFrom = -1;
        int othersTo = -1;
        boolean adjacent = true;
        for (int i = 0; i < count; i++) {
            if (TraceState.hasKey(header, members, i, "dd")) {
                if (!readDatadogMember) {
                    continue;
                }
                priority = parseDatadogMember(header, members[3 * i + 1] + 1, members[3 * i + 2], context, readTags);
            } else {
                if (othersFrom < 0) {
                    othersFrom = members[3 * i];
                } else if (members[3 * i] != othersTo + 1 || header.charAt(othersTo) != ',') {
                    adjacent = false;
                }
                othersTo = members[3 * i + 2];
            }
        }
        context.traceStateFrom = 0;
        if (othersFrom < 0) {
            context.traceState = null;
        } else if (adjacent && othersTo == header.length()) {
            context.traceState = header; // passed on from othersFrom: no copy
            context.traceStateFrom = othersFrom;
        } else if (adjacent) {
            context.traceState = header.substring(othersFrom, othersTo);
        } else {
            StringBuilder others = HeaderText.scratch();
            for (int i = 0; i < count; i++) {
                if (!TraceState.hasKey(header, members, i, "dd")) {
                    if (others.length() > 0) {
                        others.append(',');
                    }
                    TraceState.appendMember(others, header, members, i);
                }
            }
            context.traceState = HeaderText.take(others);
        }
        return priority;
    }

    /** Reads the {@code dd} member value {@code [from, to)}; returns its {@code s:} priority or UNSET. */
    private static int parseDatadogMember(String dd, int from, int to, Extracted context, boolean readTags) {
        int priority = PendingTrace.UNSET;
        int position = from;
        while (position < to) {
            int semicolon = dd.indexOf(';', position);
            int end = semicolon < 0 || semicolon > to ? to : semicolon;
            int colon = dd.indexOf(':', position);
            if (colon > position && colon < end) {
                int keyLength = colon - position;
                char first = dd.charAt(position);
                if (keyLength == 1 && first == 's') {
                    priority = HeaderText.parseSmallInt(dd, colon + 1, end, PendingTrace.UNSET);
                } else if (keyLength == 1 && first == 'o') {
                    context.origin = colon + 1 == end ? null : dd.substring(colon + 1, end).replace('~', '=');
                } else if (keyLength == 1 && first == 'p') {
                    if (end - colon - 1 == 16 && HeaderText.isLowerHex(dd, colon + 1, end)) {
                        context.lastParentSource = dd;
                        context.lastParentFrom = colon + 1;
                    }
                } else if (!readTags) {
                    // t.* elements: the winning context's tags are used instead
                } else if (keyLength == 5 && dd.startsWith("t.tid", position) && colon + 1 < end) {
                    checkTid(dd, colon + 1, end, context);
                } else if (keyLength > 2 && first == 't' && dd.charAt(position + 1) == '.' && colon + 1 < end) {
                    String key = tagKey(dd, position + 2, colon);
                    String value = key.equals("_dd.p.dm") ? HeaderText.decisionMaker(dd, colon + 1, end)
                            : dd.substring(colon + 1, end).replace('~', '=');
                    readTag(key, value, context);
                }
            }
            position = end + 1;
        }
        return priority;
    }

    /** {@code _dd.p.<name>} for {@code t.<name>}; the common names without building a string. */
    private static String tagKey(String dd, int from, int to) {
        if (to - from == 2 && dd.startsWith("dm", from)) {
            return "_dd.p.dm";
        }
        return new StringBuilder(to - from + 6).append("_dd.p.").append(dd, from, to).toString();
    }

    /** {@code t.tid}: the traceparent carries the upper bits; the tag may only confirm them. */
    private static void checkTid(String dd, int from, int to, Extracted context) {
        if (to - from != 16 || !HeaderText.isLowerHex(dd, from, to)) {
            context.error("malformed_tid " + dd.substring(from, to).replace('~', '='));
        } else if (Ids.parseHex64(dd, from, to) != context.traceIdHigh) {
            context.error("inconsistent_tid " + dd.substring(from, to));
        }
    }

    private static void readTag(String key, String value, Extracted context) {
        if (key.equals("_dd.p.dm") && !HeaderText.isValidDecisionMaker(value)) {
            context.error("decoding_error");
        } else {
            context.tags().put(key, value);
        }
    }
}
