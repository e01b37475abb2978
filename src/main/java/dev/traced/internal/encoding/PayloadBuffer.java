package dev.traced.internal.encoding;

import org.msgpack.core.buffer.MessageBuffer;
import org.msgpack.core.buffer.MessageBufferOutput;

/**
 * The one growable byte array a payload is encoded into, reused from payload to payload. The first
 * {@link #HEADER_BYTES} bytes are reserved for the outer array header, which is only known once the
 * payload is complete; so a finished payload is sent from this array without a copy.
 */
final class PayloadBuffer implements MessageBufferOutput {

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
            traceOffsets = java.util.Arrays.copyOf(traceOffsets, Math.max(count, traceOffsets.length * 2));
            spanCounts = java.util.Arrays.copyOf(spanCounts, traceOffsets.length);
        }
    }

    /** Drops everything after {@code newSize}: a chunk that failed half-way. */
    void truncate(int newSize) {
        size = Math.max(HEADER_BYTES, Math.min(size, newSize));
    }

    /** Writes the outer array header into the reserved bytes. */
    void writeArrayHeader(int count) {
        data[0] = (byte) 0xdd;
        data[1] = (byte) (count >>> 24);
        data[2] = (byte) (count >>> 16);
        data[3] = (byte) (count >>> 8);
        data[4] = (byte) count;
    }

    private void ensure(int more) {
        if (data.length - size < more) {
            byte[] bigger = new byte[Math.max(data.length * 2, size + more)];
            System.arraycopy(data, 0, bigger, 0, size);
            data = bigger;
        }
    }

    @Override
    public MessageBuffer next(int minimumSize) {
        // The packer writes straight into our array; it commits with writeBuffer before asking again.
        ensure(Math.max(minimumSize, MIN_CHUNK));
        return MessageBuffer.wrap(data, size, data.length - size);
    }

    @Override
    public void writeBuffer(int length) {
        size += length;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        ensure(length);
        System.arraycopy(buffer, offset, data, size, length);
        size += length;
    }

    @Override
    public void add(byte[] buffer, int offset, int length) {
        write(buffer, offset, length);
    }

    @Override
    public void close() {
    }

    @Override
    public void flush() {
    }
}
