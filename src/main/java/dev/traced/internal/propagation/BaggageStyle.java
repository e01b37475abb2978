package dev.traced.internal.propagation;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@code baggage} style, W3C Baggage: {@code baggage: key1=value1,key2=value2;property}. Keys and
 * values are percent-encoded UTF-8; at most {@code dd.trace.baggage.max.items} (64) items and
 * {@code dd.trace.baggage.max.bytes} (8192) bytes are written or read, the rest is left out. A header
 * that breaks the grammar is ignored as a whole. Baggage travels alongside a trace context; it does
 * not make one.
 */
final class BaggageStyle implements HeaderStyle {

    static final String BAGGAGE = "baggage";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final int maxItems;
    private final int maxBytes;
    /** Keys read often (the tag keys): an incoming key equal to one is this instance, not a new string. */
    private final String[] knownKeys;

    BaggageStyle(int maxItems, int maxBytes, Collection<String> knownKeys) {
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
        // Only keys the grammar allows as they are: a header key equal to one needs no other check.
        this.knownKeys = knownKeys.stream()
                .filter(key -> !key.isEmpty() && isToken(key, 0, key.length()) && key.indexOf('%') < 0)
                .toArray(String[]::new);
    }

    @Override
    public String name() {
        return "baggage";
    }

    @Override
    public void inject(OutgoingContext context, BiConsumer<String, String> headers) {
        SmallMap baggage = context.baggage();
        if (baggage.isEmpty()) {
            return;
        }
        String received = context.baggageText();
        if (received != null && received.length() <= maxBytes && baggage.size() <= maxItems) {
            headers.accept(BAGGAGE, received); // the caller's header, unchanged since: what encoding would write
            return;
        }
        String encoded = baggage.encoded(SmallMap.BAGGAGE);
        if (encoded != null && encoded.length() <= maxBytes && baggage.size() <= maxItems) {
            headers.accept(BAGGAGE, encoded); // every item fits: what a new encoding would write
            return;
        }
        boolean complete = true;
        StringBuilder out = HeaderText.scratch();
        int items = 0;
        for (int i = 0; i < baggage.size(); i++) {
            String key = baggage.keyAt(i);
            String value = baggage.valueAt(i);
            if (key == null || key.isEmpty() || value == null) {
                continue;
            }
            if (items == maxItems) {
                complete = false;
                Propagation.LOG.debug("baggage-inject-limit", "baggage over %d items: the rest is not sent", maxItems);
                break;
            }
            int before = out.length();
            if (before > 0) {
                out.append(',');
            }
            encode(out, key, true);
            out.append('=');
            encode(out, value, false);
            if (out.length() > maxBytes) { // all ASCII after encoding: chars are bytes
                Propagation.LOG.debug("baggage-inject-limit", "baggage item over the %d-byte limit not sent", maxBytes);
                out.setLength(before);
                complete = false;
                continue;
            }
            items++;
        }
        if (out.length() > 0) {
            encoded = HeaderText.take(out);
            if (complete && context.keepBaggage()) {
                baggage.keepEncoded(SmallMap.BAGGAGE, encoded);
            }
            headers.accept(BAGGAGE, encoded);
        }
    }

    /**
     * Percent-encodes UTF-8, one code point at a time, without intermediate strings; text that needs
     * no escape (the usual case) is copied at once.
     */
    private static void encode(StringBuilder out, String text, boolean key) {
        boolean[] safe = key ? SAFE_IN_KEY : SAFE_IN_VALUE;
        int clean = 0;
        while (clean < text.length() && text.charAt(clean) < 0x80 && safe[text.charAt(clean)]) {
            clean++;
        }
        if (clean == text.length()) {
            out.append(text);
            return;
        }
        out.append(text, 0, clean);
        for (int i = clean; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80 && safe[c]) {
                out.append(c);
                continue;
            }
            int codePoint = c;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                codePoint = '?'; // a lone surrogate: what String.getBytes writes for it
            }
            if (codePoint < 0x80) {
                appendByte(out, codePoint);
            } else if (codePoint < 0x800) {
                appendByte(out, 0xC0 | codePoint >> 6);
                appendByte(out, 0x80 | codePoint & 0x3F);
            } else if (codePoint < 0x10000) {
                appendByte(out, 0xE0 | codePoint >> 12);
                appendByte(out, 0x80 | codePoint >> 6 & 0x3F);
                appendByte(out, 0x80 | codePoint & 0x3F);
            } else {
                appendByte(out, 0xF0 | codePoint >> 18);
                appendByte(out, 0x80 | codePoint >> 12 & 0x3F);
                appendByte(out, 0x80 | codePoint >> 6 & 0x3F);
                appendByte(out, 0x80 | codePoint & 0x3F);
            }
        }
    }

    private static void appendByte(StringBuilder out, int b) {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }

    /** Baggage makes no parent: {@link Propagation} reads it with {@link #extractItems} for the context that won. */
    @Override
    public Extracted extract(Function<String, String> headers, Extracted into) {
        return extractItems(headers.apply(BAGGAGE)) == null ? null : into;
    }

    /**
     * The items of a {@code baggage} header; null when it is absent, empty or malformed. The map is
     * returned frozen when the header is exactly what {@link #inject} writes for these items (no
     * spaces, properties, repeats or escapes it would not make): the header can then go on as it came.
     */
    SmallMap extractItems(String header) {
        if (header == null) {
            return null;
        }
        SmallMap baggage = parse(header);
        if (baggage == null) {
            Propagation.LOG.debug("baggage", "ignoring a malformed baggage header");
            return null;
        }
        return baggage.isEmpty() ? null : baggage;
    }

    /**
     * The items of a baggage header within the limits; null when it breaks the grammar. Each member
     * is read in one pass, character by character: its key checked up to the {@code =}, its value up
     * to the {@code ;} of its properties (which are not checked) or the comma, noting escapes and
     * white space on the way; only a value with an escape is read again, to decode it.
     */
    private SmallMap parse(String header) {
        SmallMap baggage = new SmallMap(0);
        // True while the header is what the encoder would write for the items read so far: then it
        // is kept with the map and a trace continuing it sends it on as it came.
        boolean canonical = true;
        int members = 0;
        int position = 0;
        int length = Math.min(header.length(), maxBytes);
        while (position < length && baggage.size() < maxItems) {
            int comma = header.indexOf(',', position);
            int end = comma < 0 ? header.length() : comma;
            if (end > length) {
                // The member crosses the byte limit: it and the rest are left out.
                Propagation.LOG.debug("baggage-extract-limit", "baggage beyond %d bytes ignored", maxBytes);
                break;
            }
            // The key: optional white space, tchars, optional white space, '='.
            int keyStart = HeaderText.skipOws(header, position, end);
            // A known key (a tag key, usually) is valid as it is: the one check is that it ends there.
            String decodedKey = knownKeyAt(header, keyStart, end);
            int keyEnd = decodedKey == null ? keyStart : keyStart + decodedKey.length();
            boolean keyEscaped = false;
            char c = 0;
            while (keyEnd < end && (c = header.charAt(keyEnd)) < 128 && TOKEN[c]) {
                keyEscaped |= c == '%';
                keyEnd++;
            }
            int equals = HeaderText.skipOws(header, keyEnd, end);
            if (keyStart == keyEnd || equals == end || header.charAt(equals) != '=') {
                return null;
            }
            // The value: optional white space, baggage-octets, optional white space, then ';' or the end.
            int valueStart = HeaderText.skipOws(header, equals + 1, end);
            int valueEnd = valueStart;
            boolean valueEscaped = false;
            while (valueEnd < end && (c = header.charAt(valueEnd)) < 128 && VALUE[c]) {
                valueEscaped |= c == '%';
                valueEnd++;
            }
            int memberEnd = HeaderText.skipOws(header, valueEnd, end);
            boolean properties = memberEnd < end;
            if (properties && header.charAt(memberEnd) != ';') {
                return null;
            }
            if (decodedKey == null) {
                decodedKey = decode(header, keyStart, keyEnd, keyEscaped);
            }
            String decodedValue = decode(header, valueStart, valueEnd, valueEscaped);
            if (decodedKey == null || decodedValue == null) {
                return null;
            }
            baggage.put(decodedKey, decodedValue);
            members++;
            canonical = canonical && !properties && !keyEscaped && keyStart == position && keyEnd == equals
                    && valueStart == equals + 1 && valueEnd == end
                    && (!valueEscaped || isCanonicalValue(header, valueStart, valueEnd));
            position = end + 1;
        }
        if (canonical && position > header.length() && members == baggage.size() && members > 0) {
            baggage.freeze(); // every item read, none repeated: the header is what inject would write
        }
        return baggage;
    }

    /**
     * True when {@code [from, to)} is what {@link #encode} writes for its decoded value: every escape
     * in upper-case hex for an ASCII character the encoder escapes (an escape of a non-ASCII byte is
     * not checked as UTF-8 here, so such a value counts as not canonical and is encoded anew).
     */
    private static boolean isCanonicalValue(String header, int from, int to) {
        for (int i = HeaderText.indexOf(header, '%', from, to); i >= 0 && i < to;
             i = HeaderText.indexOf(header, '%', i + 3, to)) {
            int high = upperHexDigit(header.charAt(i + 1));
            int low = upperHexDigit(header.charAt(i + 2));
            int b = high << 4 | low;
            if (high < 0 || low < 0 || b >= 0x80 || SAFE_IN_VALUE[b]) {
                return false;
            }
        }
        return true;
    }

    private static int upperHexDigit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /**
     * The known key that starts at {@code from} and ends before {@code end} at a character that
     * cannot continue a key (so the whole key is this one), or null.
     */
    private String knownKeyAt(String header, int from, int end) {
        if (from >= end) {
            return null;
        }
        char first = header.charAt(from);
        for (String key : knownKeys) {
            int keyEnd = from + key.length();
            char next;
            if (keyEnd < end && key.charAt(0) == first && header.startsWith(key, from)
                    && ((next = header.charAt(keyEnd)) >= 128 || !TOKEN[next])) {
                return key;
            }
        }
        return null;
    }

    private static boolean isToken(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 128 || !TOKEN[c]) {
                return false;
            }
        }
        return true;
    }

    /** ASCII characters written as they are in a key ({@code tchar}) and in a value; {@code %} is always escaped. */
    private static final boolean[] SAFE_IN_KEY = new boolean[128];
    private static final boolean[] SAFE_IN_VALUE = new boolean[128];
    /** The grammar's characters of a key ({@code tchar}) and of a value ({@code baggage-octet}), read by table. */
    private static final boolean[] TOKEN = new boolean[128];
    private static final boolean[] VALUE = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            TOKEN[c] = isTokenChar(c);
            VALUE[c] = isValueChar(c);
            SAFE_IN_KEY[c] = isTokenChar(c) && c != '%';
            SAFE_IN_VALUE[c] = isValueChar(c) && c != '%';
        }
    }

    /** RFC 7230 tchar. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** W3C baggage-octet: printable ASCII except space, {@code "}, {@code ,}, {@code ;} and {@code \}. */
    private static boolean isValueChar(char c) {
        return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
    }

    /** Percent-decodes UTF-8 {@code [from, to)}, which holds a {@code %} when {@code escaped}; null when an escape is malformed. */
    private static String decode(String header, int from, int to, boolean escaped) {
        if (!escaped) {
            return header.substring(from, to);
        }
        byte[] bytes = HeaderText.bytes(to - from); // the thread's buffer: the String is the one copy
        int length = 0;
        for (int i = from; i < to; i++) {
            char c = header.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    return null;
                }
                int high = Character.digit(header.charAt(i + 1), 16);
                int low = Character.digit(header.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[length++] = (byte) (high << 4 | low);
                i += 2;
            } else {
                bytes[length++] = (byte) c; // a baggage-octet: ASCII
            }
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
