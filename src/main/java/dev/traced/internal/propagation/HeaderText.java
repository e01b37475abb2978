package dev.traced.internal.propagation;

/** Small, allocation-free checks and parsers for header values, shared by the styles. */
final class HeaderText {

    private HeaderText() {
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * One builder per thread for header values: a value is built, turned into its String (the only
     * allocation), and the builder is free again before the value is handed on. JDK types only, so a
     * redeployed application leaves nothing of its own in a container thread.
     */
    private static final ThreadLocal<StringBuilder> SCRATCH = ThreadLocal.withInitial(() -> new StringBuilder(256));
    /** A builder grown past this (a hostile tracestate) is dropped after use rather than kept. */
    private static final int MAX_KEPT_CAPACITY = 2048;

    /** This thread's empty scratch builder; finish with {@link #take}. Not reentrant: take before calling out. */
    static StringBuilder scratch() {
        StringBuilder builder = SCRATCH.get();
        builder.setLength(0);
        return builder;
    }

    /** The scratch builder's text; the builder may be reused afterwards. */
    static String take(StringBuilder builder) {
        String text = builder.toString();
        builder.setLength(0);
        if (builder.capacity() > MAX_KEPT_CAPACITY) {
            SCRATCH.set(new StringBuilder(256));
        }
        return text;
    }

    /**
     * One byte array per thread for the ASCII header values that are written most (traceparent,
     * tracestate): bytes stored by index cost a fraction of {@code StringBuilder.append(char)}'s
     * checks per character, and {@link #ascii} makes the String in one copy. A JDK type, as above.
     */
    private static final ThreadLocal<byte[]> BYTES = ThreadLocal.withInitial(() -> new byte[512]);

    /** This thread's byte buffer, at least {@code capacity} long (a larger one is not kept beyond the limit). */
    static byte[] bytes(int capacity) {
        byte[] buffer = BYTES.get();
        if (buffer.length < capacity) {
            buffer = new byte[Math.max(capacity, 2 * buffer.length)];
            if (buffer.length <= MAX_KEPT_CAPACITY) {
                BYTES.set(buffer);
            }
        }
        return buffer;
    }

    /** The first {@code length} bytes (ASCII) as a String: one copy. */
    static String ascii(byte[] bytes, int length) {
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Writes 16 lower-case hex digits at {@code position}; returns the position after them. */
    static int putHex(byte[] bytes, int position, long value) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            bytes[position++] = HEX_BYTES[(int) (value >>> shift) & 0xF];
        }
        return position;
    }

    /**
     * Writes an ASCII text at {@code position}; returns the position after it. The texts written so
     * are ASCII by construction or checked (tags encoded here, validated tracestate members), which
     * is what the deprecated {@code getBytes} wants ("the 8 low-order bits of each character"): for
     * the JDK's one-byte strings it is one array copy.
     */
    @SuppressWarnings("deprecation")
    static int put(byte[] bytes, int position, String text) {
        text.getBytes(0, text.length(), bytes, position);
        return position + text.length();
    }

    /** Writes {@code text} from {@code from} to its end. */
    static int put(byte[] bytes, int position, String text, int from) {
        text.getBytes(from, text.length(), bytes, position);
        return position + text.length() - from;
    }

    private static final byte[] HEX_BYTES = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * An unsigned 64-bit value in decimal: {@code Long.toUnsignedString} builds an intermediate
     * String for the half of the ids above {@code Long.MAX_VALUE}; this builds one.
     */
    static String unsignedDecimal(long value) {
        if (value >= 0) {
            return Long.toString(value);
        }
        StringBuilder out = scratch();
        long quotient = (value >>> 1) / 5; // value / 10, unsigned
        out.append(quotient).append((char) ('0' + (value - quotient * 10)));
        return take(out);
    }

    /** Appends 16 lower-case hex digits, without an intermediate String. */
    static void appendHex(StringBuilder out, long value) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            out.append(HEX[(int) (value >>> shift) & 0xF]);
        }
    }

    static boolean isLowerHex(CharSequence text) {
        return isLowerHex(text, 0, text.length());
    }

    static boolean isLowerHex(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 128 || LOWER_HEX[c] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The value of each lower-case hex digit, -1 for every other ASCII character. */
    private static final byte[] LOWER_HEX = new byte[128];

    static {
        java.util.Arrays.fill(LOWER_HEX, (byte) -1);
        for (int i = 0; i < 16; i++) {
            LOWER_HEX["0123456789abcdef".charAt(i)] = (byte) i;
        }
    }

    /** The value of a lower-case hex digit; -1 for any other character. */
    static int lowerHexDigit(char c) {
        return c < 128 ? LOWER_HEX[c] : -1;
    }

    /**
     * The 8 lower-case hex digits at {@code from} as a 32-bit value, checked in the pass that reads
     * them; -1 when one is not such a digit (a value of 8 digits is never negative). A 64-bit id is two.
     */
    static long lowerHex8(CharSequence text, int from) {
        int invalid = 0; // any digit's -1 makes it negative
        long value = 0;
        for (int i = from; i < from + 8; i++) {
            int digit = lowerHexDigit(text.charAt(i));
            invalid |= digit;
            value = value << 4 | (digit & 0xF);
        }
        return invalid < 0 ? -1 : value;
    }

    /** True for hex digits of either case, as B3 senders are not all lower-case. */
    static boolean isHex(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** True when every char is printable ASCII (0x20 to 0x7e): safe to put back into a header. */
    static boolean isPrintableAscii(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Strips HTTP optional white space (spaces and tabs) at both ends. */
    static String trimOws(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == value.length() ? value : value.substring(start, end);
    }

    /** The first {@code c} in {@code [from, to)}, or -1: {@code String.indexOf} would search past {@code to}. */
    static int indexOf(String text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** The index of the first character from {@code from} on that is not optional white space, at most {@code to}. */
    static int skipOws(String text, int from, int to) {
        while (from < to && isOws(text.charAt(from))) {
            from++;
        }
        return from;
    }

    /**
     * The first of several comma-joined header values, trimmed: how dd-trace-java reads a header
     * that was sent more than once.
     */
    static String firstValue(String value) {
        int comma = value.indexOf(',');
        return trimOws(comma < 0 ? value : value.substring(0, comma));
    }

    /**
     * An unsigned 64-bit decimal id (1 to 20 digits); 0 when the text is not one (0 is never a valid
     * id, so it doubles as "invalid").
     */
    static long parseUnsignedDecimal(String text) {
        int length = text.length();
        if (length == 0 || length > 20) {
            return 0;
        }
        // Two independent halves (the last 9 digits in an int): the multiply-add chain is half as
        // long, and neither half can overflow.
        int split = Math.max(0, length - 9);
        long high = 0;
        int low = 0;
        for (int i = 0; i < split; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return 0;
            }
            high = high * 10 + digit;
        }
        for (int i = split; i < length; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return 0;
            }
            low = low * 10 + digit;
        }
        // Up to 19 digits the value is below 10^19 < 2^64; 20 digits must stay at most 2^64 - 1.
        if (length == 20 && (high > MAX_HIGH_DIGITS || (high == MAX_HIGH_DIGITS && low > MAX_LOW_DIGITS))) {
            return 0;
        }
        return high * 1_000_000_000L + low;
    }

    /** 2^64 - 1 = 18446744073 * 10^9 + 709551615. */
    private static final long MAX_HIGH_DIGITS = 18_446_744_073L;
    private static final int MAX_LOW_DIGITS = 709_551_615;

    /** A small signed integer such as a sampling priority; {@code fallback} when it is not one. */
    static int parseSmallInt(String text, int fallback) {
        return parseSmallInt(text, 0, text.length(), fallback);
    }

    /** As {@link #parseSmallInt(String, int)}, for the characters {@code [from, to)}. */
    static int parseSmallInt(String text, int from, int to, int fallback) {
        int length = to - from;
        if (length <= 0 || length > 6) {
            return fallback;
        }
        int start = text.charAt(from) == '-' ? from + 1 : from;
        if (start == to) {
            return fallback;
        }
        int value = 0;
        for (int i = start; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return fallback;
            }
            value = value * 10 + (c - '0');
        }
        return start > from ? -value : value;
    }

    /** The usual priorities -1 to 2 as text, so injecting them allocates nothing. */
    private static final String[] PRIORITIES = {"-1", "0", "1", "2"};

    /** A sampling priority as text. */
    static String priority(int priority) {
        return priority >= -1 && priority <= 2 ? PRIORITIES[priority + 1] : Integer.toString(priority);
    }

    private static final String[] DECISION_MAKERS = {"-0", "-1", "-2", "-3", "-4", "-5", "-6", "-7", "-8", "-9"};

    /** {@code [from, to)} as a String: the usual {@code _dd.p.dm} values {@code -0} to {@code -9} without allocating. */
    static String decisionMaker(String text, int from, int to) {
        if (to - from == 2 && text.charAt(from) == '-') {
            int digit = text.charAt(from + 1) - '0';
            if (digit >= 0 && digit <= 9) {
                return DECISION_MAKERS[digit];
            }
        }
        return text.substring(from, to);
    }

    /** A decision maker value ({@code _dd.p.dm}): an optional 10-hex service hash, '-', digits. */
    static boolean isValidDecisionMaker(String value) {
        int dash = value.indexOf('-');
        if (dash != 0 && dash != 10) {
            return false;
        }
        if (dash == 10 && !isLowerHex(value, 0, 10)) {
            return false;
        }
        int digits = value.length() - dash - 1;
        if (digits < 1 || digits > 9) {
            return false;
        }
        for (int i = dash + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A {@code _dd.p.tid} value: exactly 16 lower-case hex characters. */
    static boolean isValidTid(String value) {
        return value.length() == 16 && isLowerHex(value);
    }
}
