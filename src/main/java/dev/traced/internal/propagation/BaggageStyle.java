package dev.traced.internal.propagation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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

    BaggageStyle(int maxItems, int maxBytes) {
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
    }

    @Override
    public String name() {
        return "baggage";
    }

    @Override
    public void inject(OutgoingContext context, BiConsumer<String, String> headers) {
        Map<String, String> baggage = context.baggage();
        if (baggage.isEmpty()) {
            return;
        }
        StringBuilder out = new StringBuilder();
        int items = 0;
        for (Map.Entry<String, String> item : baggage.entrySet()) {
            if (item.getKey() == null || item.getKey().isEmpty() || item.getValue() == null) {
                continue;
            }
            if (items == maxItems) {
                Propagation.LOG.debug("baggage-inject-limit", "baggage over %d items: the rest is not sent", maxItems);
                break;
            }
            int before = out.length();
            if (before > 0) {
                out.append(',');
            }
            encode(out, item.getKey(), true);
            out.append('=');
            encode(out, item.getValue(), false);
            if (out.length() > maxBytes) { // all ASCII after encoding: chars are bytes
                Propagation.LOG.debug("baggage-inject-limit", "baggage item over the %d-byte limit not sent", maxBytes);
                out.setLength(before);
                continue;
            }
            items++;
        }
        if (out.length() > 0) {
            headers.accept(BAGGAGE, out.toString());
        }
    }

    private static void encode(StringBuilder out, String text, boolean key) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80 && (key ? isTokenChar(c) : isValueChar(c)) && c != '%') {
                out.append(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < text.length() ? i + 2 : i + 1;
                for (byte b : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
                i = end - 1;
            }
        }
    }

    @Override
    public Extracted extract(Function<String, String> headers) {
        String header = headers.apply(BAGGAGE);
        if (header == null) {
            return null;
        }
        Map<String, String> baggage = parse(header);
        if (baggage == null) {
            Propagation.LOG.debug("baggage", "ignoring a malformed baggage header");
            return null;
        }
        if (baggage.isEmpty()) {
            return null;
        }
        Extracted context = new Extracted(name());
        context.baggage = baggage;
        return context;
    }

    /** The items of a baggage header within the limits; null when it breaks the grammar. */
    private Map<String, String> parse(String header) {
        Map<String, String> baggage = new LinkedHashMap<>();
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
            int semicolon = header.indexOf(';', position);
            int memberEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
            int equals = header.indexOf('=', position);
            if (equals < 0 || equals >= memberEnd) {
                return null;
            }
            String key = HeaderText.trimOws(header.substring(position, equals));
            String value = HeaderText.trimOws(header.substring(equals + 1, memberEnd));
            if (key.isEmpty() || !isToken(key) || !isValue(value)) {
                return null;
            }
            String decodedKey = decode(key);
            String decodedValue = decode(value);
            if (decodedKey == null || decodedValue == null) {
                return null;
            }
            baggage.put(decodedKey, decodedValue);
            position = end + 1;
        }
        return baggage;
    }

    private static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isValue(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isValueChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
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

    /** Percent-decodes UTF-8; null when an escape is malformed. */
    private static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
