package dev.traced.internal.encoding;

import java.util.Arrays;

/**
 * A complete {@code /v0.4/traces} body: {@code bytes[0, length)} is a msgpack array of
 * {@code traceCount} traces. It may be a view of one of the encoder's two reusable buffers,
 * valid until the encoder has been reset twice more.
 *
 * @param traceOffsets where each trace starts in {@code bytes}, to split the payload in halves
 */
public record EncodedPayload(byte[] bytes, int length, int traceCount, int spanCount, int[] traceOffsets,
                             int[] spanCounts) {

    /**
     * The first and second half of the traces as two payloads (copies), for an Agent that answered
     * 413; null when there is only one trace.
     */
    public EncodedPayload[] halves() {
        if (traceCount < 2) {
            return null;
        }
        int middle = traceCount / 2;
        return new EncodedPayload[] {slice(0, middle), slice(middle, traceCount)};
    }

    private EncodedPayload slice(int from, int to) {
        int start = traceOffsets[from];
        int end = to == traceCount ? length : traceOffsets[to];
        int bodyLength = end - start;
        byte[] copy = new byte[PayloadBuffer.HEADER_BYTES + bodyLength];
        int count = to - from;
        copy[0] = (byte) 0xdd;
        copy[1] = (byte) (count >>> 24);
        copy[2] = (byte) (count >>> 16);
        copy[3] = (byte) (count >>> 8);
        copy[4] = (byte) count;
        System.arraycopy(bytes, start, copy, PayloadBuffer.HEADER_BYTES, bodyLength);
        int[] offsets = new int[count];
        int spans = 0;
        for (int i = 0; i < count; i++) {
            offsets[i] = traceOffsets[from + i] - start + PayloadBuffer.HEADER_BYTES;
            spans += spanCounts[from + i];
        }
        return new EncodedPayload(copy, copy.length, count, spans, offsets,
                Arrays.copyOfRange(spanCounts, from, to));
    }
}
