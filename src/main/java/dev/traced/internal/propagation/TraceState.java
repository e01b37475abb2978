package dev.traced.internal.propagation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The W3C {@code tracestate} list (Trace Context Level 2): {@code key=value} members separated by
 * commas, at most 32, no key twice. Keys are {@code simple-key} (a lower-case letter, then up to 255
 * of {@code [a-z0-9_*\/-]}) or {@code tenant@system} (1 to 241 and 1 to 14 characters); values are 1 to
 * 256 printable ASCII characters without {@code ,} or {@code =}, not ending in a space.
 */
final class TraceState {

    static final int MAX_MEMBERS = 32;
    static final int MAX_VALUE_LENGTH = 256;
    /** Longest header we parse: 32 members of maximal size and some white space; longer is hostile. */
    static final int MAX_HEADER_LENGTH = 32 * (256 + 1 + 256) + 31 + 512;

    private TraceState() {
    }

    /**
     * The members of a header (several header lines joined with {@code ,} are one list), in order;
     * null when the list breaks the grammar: such a tracestate is discarded as a whole.
     */
    static Map<String, String> parse(String header) {
        if (header.length() > MAX_HEADER_LENGTH) {
            return null;
        }
        Map<String, String> members = new LinkedHashMap<>(4);
        int position = 0;
        int length = header.length();
        while (position <= length) {
            int comma = header.indexOf(',', position);
            int end = comma < 0 ? length : comma;
            int start = position;
            while (start < end && HeaderText.isOws(header.charAt(start))) {
                start++;
            }
            int stop = end;
            while (stop > start && HeaderText.isOws(header.charAt(stop - 1))) {
                stop--;
            }
            if (start < stop) { // empty list members are allowed and skipped
                int equals = header.indexOf('=', start);
                if (equals < 0 || equals >= stop || !isValidKey(header, start, equals)
                        || !isValidValue(header, equals + 1, stop)) {
                    return null;
                }
                String key = header.substring(start, equals);
                if (members.size() == MAX_MEMBERS || members.put(key, header.substring(equals + 1, stop)) != null) {
                    return null; // too many members, or a duplicate key
                }
            }
            position = end + 1;
        }
        return members;
    }

    static boolean isValidKey(CharSequence text, int from, int to) {
        int at = -1;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '@') {
                if (at >= 0) {
                    return false;
                }
                at = i;
            }
        }
        if (at < 0) {
            int length = to - from;
            return length >= 1 && length <= 256 && isLowerAlpha(text.charAt(from)) && isKeyChars(text, from + 1, to);
        }
        int tenant = at - from;
        int system = to - at - 1;
        if (tenant < 1 || tenant > 241 || system < 1 || system > 14) {
            return false;
        }
        char first = text.charAt(from);
        return (isLowerAlpha(first) || isDigit(first)) && isKeyChars(text, from + 1, at)
                && isLowerAlpha(text.charAt(at + 1)) && isKeyChars(text, at + 2, to);
    }

    static boolean isValidValue(CharSequence text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > MAX_VALUE_LENGTH || text.charAt(to - 1) == ' ') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isKeyChars(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isLowerAlpha(c) && !isDigit(c) && c != '_' && c != '-' && c != '*' && c != '/') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
