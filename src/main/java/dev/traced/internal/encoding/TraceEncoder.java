package dev.traced.internal.encoding;

import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.SpanEventData;
import dev.traced.internal.trace.SpanLinkData;
import dev.traced.internal.trace.TagVisitor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Encodes finished chunks as the Agent's msgpack v0.4 payload, straight into one reusable buffer.
 * Not thread-safe: the writer's thread owns it.
 *
 * <p>Each span is a map of the twelve keys in dd-trace-java's order ({@code service, name, resource,
 * trace_id, span_id, parent_id, start, duration, type, error, metrics, meta}); ids are unsigned,
 * {@code type} is nil when unset, metrics are ints or float64 (never float32), meta is str to str.
 * A span with links adds {@code span_links}; one with events adds {@code span_events} when the
 * Agent's {@code /info} says it reads them ({@link #nativeSpanEvents}), else an {@code events} tag
 * of JSON, as dd-trace-java does. A span without either is written exactly as before.
 *
 * <p>To stay allocation-free per span, strings are UTF-8 encoded into a scratch array, and the
 * tags maps and the span arrays get fixed-width headers that are patched with the count once
 * written, so tags are visited only once. When the buffer reaches its cap the payload is handed
 * to the sink, even in the middle of a chunk (the rest of the chunk continues as another chunk of
 * the same trace), so a huge trace never grows the buffer past the cap by more than one span.
 */
public final class TraceEncoder {

    /** dd-trace-java's v0.4 buffer: a payload is sent when it reaches 5 MiB. */
    public static final int DEFAULT_CAP_BYTES = 5 << 20;
    /** The Agent truncates longer meta values; longer ones are cut here to bound memory. */
    static final int MAX_VALUE_CHARS = 25_000;
    /** The Agent truncates keys at 200 bytes. */
    static final int MAX_KEY_CHARS = 200;
    /** Map entries fit a map16 header. */
    static final int MAX_TAGS = 0xffff;

    private static final RateLimitedLog LOG = RateLimitedLog.of(TraceEncoder.class);

    private static final byte[] SERVICE = key("service");
    private static final byte[] NAME = key("name");
    private static final byte[] RESOURCE = key("resource");
    private static final byte[] TRACE_ID = key("trace_id");
    private static final byte[] SPAN_ID = key("span_id");
    private static final byte[] PARENT_ID = key("parent_id");
    private static final byte[] START = key("start");
    private static final byte[] DURATION = key("duration");
    private static final byte[] TYPE = key("type");
    private static final byte[] ERROR = key("error");
    private static final byte[] METRICS = key("metrics");
    private static final byte[] META = key("meta");
    private static final byte[] SPAN_LINKS = key("span_links");
    private static final byte[] SPAN_EVENTS = key("span_events");
    private static final byte[] TRACE_ID_HIGH = key("trace_id_high");
    private static final byte[] ATTRIBUTES = key("attributes");
    private static final byte[] TRACESTATE = key("tracestate");
    private static final byte[] FLAGS = key("flags");
    private static final byte[] TIME_UNIX_NANO = key("time_unix_nano");
    private static final byte[] VALUE_TYPE = key("type");
    private static final byte[] STRING_VALUE = key("string_value");
    private static final byte[] BOOL_VALUE = key("bool_value");
    private static final byte[] INT_VALUE = key("int_value");
    private static final byte[] DOUBLE_VALUE = key("double_value");
    private static final byte[] ARRAY_VALUE = key("array_value");
    private static final byte[] VALUES = key("values");
    /** The Agent's {@code AttributeAnyValue} types. */
    private static final int STRING_TYPE = 0;
    private static final int BOOL_TYPE = 1;
    private static final int INT_TYPE = 2;
    private static final int DOUBLE_TYPE = 3;
    private static final int ARRAY_TYPE = 4;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Strings cached with their msgpack encoding: a direct-mapped table by hash, compared by identity. */
    private static final int CACHE_SLOTS = 1024;
    private static final int MAX_CACHED_CHARS = 128;

    private final int capBytes;
    private final String[] cachedStrings = new String[CACHE_SLOTS];
    private final byte[][] cachedBytes = new byte[CACHE_SLOTS][];
    private final String[] candidates = new String[CACHE_SLOTS];
    /**
     * Buffers used in turn, so that finished payloads stay intact while they are sent and the next
     * one is encoded; {@link #reset} moves to the next. Memory: at most one payload of about the cap
     * per buffer.
     */
    private final PayloadBuffer[] buffers;
    private int current;
    private PayloadBuffer buffer;
    private final MetaWriter metaWriter = new MetaWriter();
    private final MetricWriter metricWriter = new MetricWriter();
    private final SpanEventsJson eventsJson = new SpanEventsJson();
    /** The Agent reads {@code span_events} (its {@code /info} said so); else events go in the {@code events} tag. */
    private boolean nativeSpanEvents;
    /** UTF-8 of the string being written, and the 9 bytes of a uint64. */
    private byte[] scratch = new byte[512];
    private int traceCount;
    private int spanCount;

    public TraceEncoder() {
        this(DEFAULT_CAP_BYTES);
    }

    public TraceEncoder(int capBytes) {
        this(capBytes, 2);
    }

    /**
     * @param bufferCount how many buffers are used in turn (at least 2): a finished payload is
     *                    overwritten only by the {@code bufferCount}-th {@link #reset} after its {@link #finish}
     */
    public TraceEncoder(int capBytes, int bufferCount) {
        this.capBytes = Math.max(1024, capBytes);
        int initial = Math.min(this.capBytes + (this.capBytes >> 3), 64 << 10);
        this.buffers = new PayloadBuffer[Math.max(2, bufferCount)];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = new PayloadBuffer(initial);
        }
        this.buffer = buffers[0];
    }

    /** Whether spans carry their events in {@code span_events} (true) or in the {@code events} tag. */
    public void nativeSpanEvents(boolean nativeSpanEvents) {
        this.nativeSpanEvents = nativeSpanEvents;
    }

    /** Traces (chunks) in the payload being built. */
    public int traceCount() {
        return traceCount;
    }

    public int spanCount() {
        return spanCount;
    }

    /** Bytes of the payload being built, outer header included. */
    public int sizeBytes() {
        return buffer.size();
    }

    public boolean isFull() {
        return sizeBytes() >= capBytes;
    }

    /**
     * Appends one chunk (the spans of one trace). Whenever the buffer reaches its cap the payload
     * so far goes to {@code whenFull}; the encoder then goes on in its next buffer, so the payload
     * stays valid until every other buffer has been filled. A chunk that cannot be encoded is left out whole and reported
     * through the return value (false).
     */
    public boolean encode(List<CoreSpan> chunk, Consumer<EncodedPayload> whenFull) {
        int size = chunk.size();
        if (size == 0) {
            return true;
        }
        int markSize = sizeBytes();
        int markTraces = traceCount;
        int markSpans = spanCount;
        try {
            int arrayHeaderAt = startTrace();
            int inGroup = 0;
            for (int i = 0; i < size; i++) {
                encodeSpan(chunk.get(i), inGroup == 0);
                inGroup++;
                if (i < size - 1 && sizeBytes() >= capBytes) {
                    // Mid-chunk: close this part as a chunk of its own and send it.
                    endTrace(arrayHeaderAt, inGroup);
                    whenFull.accept(finish());
                    reset();
                    markSize = sizeBytes();
                    markTraces = 0;
                    markSpans = 0;
                    arrayHeaderAt = startTrace();
                    inGroup = 0;
                }
            }
            endTrace(arrayHeaderAt, inGroup);
        } catch (RuntimeException e) {
            rollback(markSize, markTraces, markSpans);
            LOG.warn("encode-failed", e, "a trace could not be encoded and was dropped");
            return false;
        }
        if (sizeBytes() >= capBytes) {
            whenFull.accept(finish());
            reset();
        }
        return true;
    }

    /**
     * The payload built so far, as a view of the encoder's current buffer: valid until the
     * {@code bufferCount}-th {@link #reset} from now (the encoder fills the other buffers meanwhile).
     */
    public EncodedPayload finish() {
        buffer.writeArrayHeader(traceCount);
        return new EncodedPayload(buffer.array(), buffer.size(), traceCount, spanCount, buffer.traceOffsets,
                buffer.spanCounts);
    }

    /**
     * Empties the encoder for the next payload, which goes to the next buffer in turn: a payload
     * returned by {@link #finish} stays valid until the {@code bufferCount}-th reset after it.
     */
    public void reset() {
        current = (current + 1) % buffers.length;
        buffer = buffers[current];
        buffer.reset(capBytes + (capBytes >> 2));
        traceCount = 0;
        spanCount = 0;
    }

    private void rollback(int size, int traces, int spans) {
        buffer.truncate(size);
        traceCount = traces;
        spanCount = spans;
    }

    /** Writes an array32 header to be patched with the span count; returns where it is. */
    private int startTrace() {
        buffer.ensureTraces(traceCount + 1);
        int at = sizeBytes();
        buffer.traceOffsets[traceCount] = at;
        scratch[0] = (byte) 0xdd;
        buffer.writePayload(scratch, 0, 5);
        return at;
    }

    private void endTrace(int arrayHeaderAt, int spans) {
        byte[] data = buffer.array();
        data[arrayHeaderAt + 1] = (byte) (spans >>> 24);
        data[arrayHeaderAt + 2] = (byte) (spans >>> 16);
        data[arrayHeaderAt + 3] = (byte) (spans >>> 8);
        data[arrayHeaderAt + 4] = (byte) spans;
        buffer.spanCounts[traceCount] = spans;
        traceCount++;
        spanCount += spans;
    }

    private void encodeSpan(CoreSpan span, boolean firstInChunk) {
        PayloadBuffer out = buffer;
        // Two field reads for a span without links or events: then the map is the twelve keys.
        List<SpanLinkData> links = span.hasLinks() ? span.links() : null;
        List<SpanEventData> events = span.hasEvents() ? span.events() : null;
        boolean eventsField = events != null && nativeSpanEvents;
        out.packMapHeader(12 + (links != null ? 1 : 0) + (eventsField ? 1 : 0));
        out.writePayload(SERVICE);
        writeStringOrNil(span.service(), MAX_VALUE_CHARS);
        out.writePayload(NAME);
        writeStringOrNil(span.operationName(), MAX_VALUE_CHARS);
        out.writePayload(RESOURCE);
        writeStringOrNil(span.resource(), MAX_VALUE_CHARS);
        out.writePayload(TRACE_ID);
        writeUnsigned(span.traceIdLow());
        out.writePayload(SPAN_ID);
        writeUnsigned(span.spanIdValue());
        out.writePayload(PARENT_ID);
        writeUnsigned(span.parentIdValue());
        out.writePayload(START);
        out.packLong(span.startEpochNanos());
        out.writePayload(DURATION);
        out.packLong(span.durationNanos());
        out.writePayload(TYPE);
        writeStringOrNil(span.spanType(), MAX_VALUE_CHARS);
        out.writePayload(ERROR);
        out.packInt(span.isError() ? 1 : 0);
        out.writePayload(METRICS);
        metricWriter.begin();
        span.visitMetrics(metricWriter);
        metricWriter.end();
        out.writePayload(META);
        metaWriter.begin();
        span.visitMeta(metaWriter, firstInChunk);
        if (events != null && !eventsField) {
            metaWriter.meta("events", eventsJson.toJson(events));
        }
        metaWriter.end();
        if (links != null) {
            out.writePayload(SPAN_LINKS);
            writeLinks(links);
        }
        if (eventsField) {
            out.writePayload(SPAN_EVENTS);
            writeEvents(events);
        }
    }

    /** The Agent's {@code SpanLink}s; optional fields are left out when unset, as Python's tracer does. */
    private void writeLinks(List<SpanLinkData> links) {
        PayloadBuffer out = buffer;
        out.packArrayHeader(links.size());
        for (SpanLinkData link : links) {
            boolean high = link.traceIdHigh() != 0;
            boolean attributes = !link.attributes().isEmpty();
            boolean traceState = link.traceState() != null && !link.traceState().isEmpty();
            boolean flags = link.flags() != 0;
            out.packMapHeader(2 + (high ? 1 : 0) + (attributes ? 1 : 0) + (traceState ? 1 : 0) + (flags ? 1 : 0));
            out.writePayload(TRACE_ID);
            writeUnsigned(link.traceIdLow());
            if (high) {
                out.writePayload(TRACE_ID_HIGH);
                writeUnsigned(link.traceIdHigh());
            }
            out.writePayload(SPAN_ID);
            writeUnsigned(link.spanIdValue());
            if (attributes) {
                out.writePayload(ATTRIBUTES);
                out.packMapHeader(link.attributes().size());
                for (Map.Entry<String, String> entry : link.attributes().entrySet()) {
                    writeString(entry.getKey(), MAX_KEY_CHARS);
                    writeString(entry.getValue(), MAX_VALUE_CHARS);
                }
            }
            if (traceState) {
                out.writePayload(TRACESTATE);
                writeString(link.traceState(), MAX_VALUE_CHARS);
            }
            if (flags) {
                out.writePayload(FLAGS);
                out.packLong(link.flags()); // a uint32: bit 31 is set
            }
        }
    }

    /** The Agent's {@code SpanEvent}s, attribute values as its {@code AttributeAnyValue}. */
    private void writeEvents(List<SpanEventData> events) {
        PayloadBuffer out = buffer;
        out.packArrayHeader(events.size());
        for (SpanEventData event : events) {
            Map<String, Object> attributes = event.attributes();
            out.packMapHeader(attributes.isEmpty() ? 2 : 3);
            out.writePayload(TIME_UNIX_NANO);
            writeUnsigned(event.epochNanos());
            out.writePayload(NAME);
            writeString(event.name(), MAX_VALUE_CHARS);
            if (!attributes.isEmpty()) {
                out.writePayload(ATTRIBUTES);
                out.packMapHeader(attributes.size());
                for (Map.Entry<String, Object> entry : attributes.entrySet()) {
                    writeString(entry.getKey(), MAX_KEY_CHARS);
                    writeAnyValue(entry.getValue());
                }
            }
        }
    }

    private void writeAnyValue(Object value) {
        PayloadBuffer out = buffer;
        out.packMapHeader(2);
        out.writePayload(VALUE_TYPE);
        if (value instanceof String text) {
            out.packInt(STRING_TYPE);
            out.writePayload(STRING_VALUE);
            writeString(text, MAX_VALUE_CHARS);
        } else if (value instanceof Boolean bool) {
            out.packInt(BOOL_TYPE);
            out.writePayload(BOOL_VALUE);
            out.packBoolean(bool);
        } else if (value instanceof Long number) {
            out.packInt(INT_TYPE);
            out.writePayload(INT_VALUE);
            out.packLong(number);
        } else if (value instanceof Double number) {
            out.packInt(DOUBLE_TYPE);
            out.writePayload(DOUBLE_VALUE);
            out.packDouble(number); // float64, never float32
        } else {
            List<?> list = (List<?>) value;
            out.packInt(ARRAY_TYPE);
            out.writePayload(ARRAY_VALUE);
            out.packMapHeader(1);
            out.writePayload(VALUES);
            out.packArrayHeader(list.size());
            for (Object element : list) {
                writeAnyValue(element);
            }
        }
    }

    /** Ids are unsigned 64-bit: a negative long is written as uint64 (0xcf), as dd-trace-java does. */
    private void writeUnsigned(long id) {
        if (id >= 0) {
            buffer.packLong(id);
            return;
        }
        byte[] b = scratch;
        b[0] = (byte) 0xcf;
        for (int i = 0; i < 8; i++) {
            b[1 + i] = (byte) (id >>> (56 - 8 * i));
        }
        buffer.writePayload(b, 0, 9);
    }

    private void writeStringOrNil(String value, int maxChars) {
        if (value == null) {
            buffer.packNil();
        } else {
            writeString(value, maxChars);
        }
    }

    /**
     * Writes a string: from the cache when this very String was seen before (keys, service and
     * operation names, env, runtime id, thread names), else UTF-8 encoded into the scratch array
     * and copied into the buffer. A String is cached on its second sighting, so strings unique to
     * one span (URLs with ids) never allocate.
     */
    private void writeString(String value, int maxChars) {
        int slot = value.hashCode() & (CACHE_SLOTS - 1);
        if (cachedStrings[slot] == value) {
            buffer.writePayload(cachedBytes[slot]);
            return;
        }
        int n = utf8(value, maxChars);
        buffer.packRawStringHeader(n);
        buffer.writePayload(scratch, 0, n);
        if (value.length() <= MAX_CACHED_CHARS) {
            if (candidates[slot] == value) {
                cachedStrings[slot] = value;
                cachedBytes[slot] = packedString(scratch, n);
            } else {
                candidates[slot] = value;
            }
        }
    }

    /** The msgpack str header and bytes in one array. */
    private static byte[] packedString(byte[] utf8, int n) {
        int header = n < 32 ? 1 : n < 256 ? 2 : 3;
        byte[] packed = new byte[header + n];
        if (header == 1) {
            packed[0] = (byte) (0xa0 | n);
        } else if (header == 2) {
            packed[0] = (byte) 0xd9;
            packed[1] = (byte) n;
        } else {
            packed[0] = (byte) 0xda;
            packed[1] = (byte) (n >>> 8);
            packed[2] = (byte) n;
        }
        System.arraycopy(utf8, 0, packed, header, n);
        return packed;
    }

    /** UTF-8 of the first {@code maxChars} chars into the scratch array; returns the byte count. */
    private int utf8(String value, int maxChars) {
        int chars = Math.min(value.length(), maxChars);
        if (scratch.length < chars * 3) {
            scratch = new byte[Math.max(chars * 3, scratch.length * 2)];
        }
        byte[] b = scratch;
        int n = 0;
        for (int i = 0; i < chars; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                b[n++] = (byte) c;
            } else if (c < 0x800) {
                b[n++] = (byte) (0xc0 | (c >> 6));
                b[n++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                b[n++] = (byte) (0xf0 | (cp >> 18));
                b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[n++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                b[n++] = (byte) '?'; // unpaired surrogate (or one cut by truncation), as String.getBytes does
            } else {
                b[n++] = (byte) (0xe0 | (c >> 12));
                b[n++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[n++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return n;
    }

    private static byte[] key(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        byte[] packed = new byte[utf8.length + 1];
        packed[0] = (byte) (0xa0 | utf8.length); // fixstr: every key is shorter than 32 bytes
        System.arraycopy(utf8, 0, packed, 1, utf8.length);
        return packed;
    }

    /** Writes a map16 header, to be patched with the entry count when the map is complete. */
    private int startMap() {
        int at = sizeBytes();
        scratch[0] = (byte) 0xde;
        buffer.writePayload(scratch, 0, 3);
        return at;
    }

    /** Patches the header in place: the buffer's array holds every byte written so far. */
    private void endMap(int at, int count) {
        byte[] data = buffer.array();
        data[at + 1] = (byte) (count >>> 8);
        data[at + 2] = (byte) count;
    }

    private boolean checkRoom(int count) {
        if (count < MAX_TAGS) {
            return true;
        }
        LOG.debug("too-many-tags", "a span has more than %d tags of one kind; the rest are not sent", MAX_TAGS);
        return false;
    }

    /**
     * A msgpack map whose entry count is patched in at the end: the visitors below write entries
     * as {@link CoreSpan} produces them, without knowing how many there will be.
     */
    private abstract class MapWriter implements TagVisitor {
        private int headerAt;
        private int count;

        final void begin() {
            headerAt = startMap();
            count = 0;
        }

        final void end() {
            endMap(headerAt, count);
        }

        /** Writes the key of a new entry and counts it; false (nothing written) when there is no room. */
        final boolean key(String key) {
            if (key == null || !checkRoom(count)) {
                return false;
            }
            writeString(key, MAX_KEY_CHARS);
            count++;
            return true;
        }
    }

    /** Writes meta entries (str to str) as {@link CoreSpan#visitMeta} produces them. */
    private final class MetaWriter extends MapWriter {

        @Override
        public void meta(String key, String value) {
            if (value != null && key(key)) {
                writeString(value, MAX_VALUE_CHARS);
            }
        }

        /** Writes the 16 hex digits straight from the number: no String per chunk. */
        @Override
        public void metaHex16(String key, long value) {
            if (key(key)) {
                byte[] b = scratch;
                long rest = value;
                for (int i = 15; i >= 0; i--) {
                    b[i] = HEX[(int) (rest & 0xf)];
                    rest >>>= 4;
                }
                buffer.packRawStringHeader(16);
                buffer.writePayload(b, 0, 16);
            }
        }

        @Override
        public void metric(String key, Number value) {
        }
    }

    /** Writes metrics entries: integers as msgpack ints, everything else as float64. */
    private final class MetricWriter extends MapWriter {

        @Override
        public void meta(String key, String value) {
        }

        @Override
        public void metric(String key, Number value) {
            if (value == null) {
                return;
            }
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                metric(key, value.longValue());
            } else {
                metric(key, value.doubleValue());
            }
        }

        @Override
        public void metric(String key, int value) {
            metric(key, (long) value);
        }

        @Override
        public void metric(String key, long value) {
            if (key(key)) {
                buffer.packLong(value);
            }
        }

        @Override
        public void metric(String key, double value) {
            if (key(key)) {
                buffer.packDouble(value); // always float64: the Agent rejects float32
            }
        }
    }
}
