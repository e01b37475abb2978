package dev.traced.internal.encoding;

import java.util.Arrays;

/**
 * The one growable byte array a payload is encoded into, reused from payload to payload, and the
 * msgpack writes the encoder needs, straight into it. The first {@link #HEADER_BYTES} bytes are
 * reserved for the outer array header, which is only known once the payload is complete; so a
 * finished payload is sent from this array without a copy.
 *
 * <p>Every write picks the smallest form, byte for byte as msgpack-java's {@code MessagePacker}
 * does (checked by {@code PayloadBufferTest}). Writing here rather than through a
 * {@code MessagePacker} is what makes a span cheap to encode: a span is some forty small writes
 * (keys, cached strings, numbers), and each packer write went through {@code MessageBuffer} and a
 * checked {@code Unsafe.copyMemory}, which cost more than the bytes.
 */
final class PayloadBuffer {

    /** An array32 header: 0xdd and a 4-byte count. */
    static final int HEADER_BYTES = 5;
    private static final int MIN_CHUNK = 8192;

    private byte[] data;
    /** Where each trace of the payload starts, and its span count: for splitting a payload in halves. */
    int[] traceOffsets = new int[64];
    int[] spanCounts = new int[64];
    private int size = HEADER_BYTES;

    PayloadBuffer(int initialCapacity) {
        data = new byte[Math.max(initialCapacity, MIN_CHUNK + HEADER_BYTES)];
    }

    byte[] array() {
        return data;
    }

    /** Bytes written so far, header included. */
    int size() {
        return size;
    }

    /** Forgets the content; keeps the array unless a huge payload grew it far past {@code keepCapacity}. */
    void reset(int keepCapacity) {
        size = HEADER_BYTES;
        if (data.length > 2 * keepCapacity) {
            data = new byte[keepCapacity];
        }
    }

    void ensureTraces(int count) {
        if (count > traceOffsets.length) {
            traceOffsets = Arrays.copyOf(traceOffsets, Math.max(count, traceOffsets.length * 2));
            spanCounts = Arrays.copyOf(spanCounts, traceOffsets.length);
        }
    }

    /** Drops everything after {@code newSize}: a chunk that failed half-way. */
    void truncate(int newSize) {
        size = Math.max(HEADER_BYTES, Math.min(size, newSize));
    }

    /** Writes the outer array header into the reserved bytes. */
    void writeArrayHeader(int count) {
        data[0] = (byte) 0xdd;
        putInt(1, count);
    }

    void writePayload(byte[] bytes) {
        writePayload(bytes, 0, bytes.length);
    }

    void writePayload(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, data, size, length);
        size += length;
    }

    void packNil() {
        ensure(1);
        data[size++] = (byte) 0xc0;
    }

    void packBoolean(boolean value) {
        ensure(1);
        data[size++] = (byte) (value ? 0xc3 : 0xc2);
    }

    void packInt(int value) {
        packLong(value); // the same forms for every int as MessagePacker.packInt
    }

    void packLong(long value) {
        ensure(9);
        if (value < -(1L << 5)) {
            if (value < -(1L << 15)) {
                if (value < -(1L << 31)) {
                    typeAndLong(0xd3, value);
                } else {
                    typeAndInt(0xd2, (int) value);
                }
            } else if (value < -(1 << 7)) {
                typeAndShort(0xd1, (int) value);
            } else {
                data[size++] = (byte) 0xd0;
                data[size++] = (byte) value;
            }
        } else if (value < (1 << 7)) {
            data[size++] = (byte) value; // positive or negative fixint
        } else if (value < (1L << 8)) {
            data[size++] = (byte) 0xcc;
            data[size++] = (byte) value;
        } else if (value < (1L << 16)) {
            typeAndShort(0xcd, (int) value);
        } else if (value < (1L << 32)) {
            typeAndInt(0xce, (int) value);
        } else {
            typeAndLong(0xcf, value);
        }
    }

    /** Always float64: the Agent rejects float32. */
    void packDouble(double value) {
        ensure(9);
        typeAndLong(0xcb, Double.doubleToRawLongBits(value));
    }

    void packMapHeader(int entries) {
        header(entries, 0x80, 0xde, 0xdf);
    }

    void packArrayHeader(int elements) {
        header(elements, 0x90, 0xdc, 0xdd);
    }

    /** A str header for {@code length} bytes of UTF-8 (str8 included, as MessagePacker's default). */
    void packRawStringHeader(int length) {
        ensure(5);
        if (length < (1 << 5)) {
            data[size++] = (byte) (0xa0 | length);
        } else if (length < (1 << 8)) {
            data[size++] = (byte) 0xd9;
            data[size++] = (byte) length;
        } else if (length < (1 << 16)) {
            typeAndShort(0xda, length);
        } else {
            typeAndInt(0xdb, length);
        }
    }

    private void header(int count, int fix, int type16, int type32) {
        ensure(5);
        if (count < (1 << 4)) {
            data[size++] = (byte) (fix | count);
        } else if (count < (1 << 16)) {
            typeAndShort(type16, count);
        } else {
            typeAndInt(type32, count);
        }
    }

    private void typeAndShort(int type, int value) {
        byte[] b = data;
        int at = size;
        b[at] = (byte) type;
        b[at + 1] = (byte) (value >>> 8);
        b[at + 2] = (byte) value;
        size = at + 3;
    }

    private void typeAndInt(int type, int value) {
        data[size] = (byte) type;
        putInt(size + 1, value);
        size += 5;
    }

    private void typeAndLong(int type, long value) {
        byte[] b = data;
        int at = size;
        b[at] = (byte) type;
        for (int i = 0; i < 8; i++) {
            b[at + 1 + i] = (byte) (value >>> (56 - 8 * i));
        }
        size = at + 9;
    }

    private void putInt(int at, int value) {
        byte[] b = data;
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    private void ensure(int more) {
        if (data.length - size < more) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
        }
    }
}
