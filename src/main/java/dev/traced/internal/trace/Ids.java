package dev.traced.internal.trace;

import java.util.concurrent.ThreadLocalRandom;

/** Span and trace ids as Datadog makes them, and their hex forms. */
public final class Ids {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    /** A random non-zero 64-bit id. */
    public static long newSpanId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    /**
     * The upper 64 bits of a new 128-bit trace id as dd-trace-java makes it: the start time in epoch
     * seconds in the top 32 bits, zeros below.
     */
    public static long newTraceIdHigh(long epochNanos) {
        return (epochNanos / 1_000_000_000L) << 32;
    }

    public static String toHex16(long value) {
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        return new String(out);
    }

    public static String toHex32(long high, long low) {
        char[] out = new char[32];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (high & 0xF)];
            high >>>= 4;
        }
        for (int i = 31; i >= 16; i--) {
            out[i] = HEX[(int) (low & 0xF)];
            low >>>= 4;
        }
        return new String(out);
    }

    /**
     * Parses 1 to 16 hex characters (either case) as an unsigned 64-bit value.
     *
     * @throws NumberFormatException when the text is not hex or too long
     */
    public static long parseHex64(CharSequence text, int from, int to) {
        int length = to - from;
        if (length <= 0 || length > 16) {
            throw new NumberFormatException("hex id of length " + length);
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw new NumberFormatException("not hex");
            }
            value = (value << 4) | digit;
        }
        return value;
    }
}
