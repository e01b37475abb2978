package dev.traced.internal.encoding;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The encoder's own msgpack writes produce the very bytes msgpack-java's {@code MessagePacker}
 * wrote before (the Agent's decoder and every wire test saw those), at every boundary between
 * two forms.
 */
class PayloadBufferTest {

    private static final long[] LONGS = {0, 1, 31, 32, 127, 128, 255, 256, 65_535, 65_536, 4_294_967_295L,
            4_294_967_296L, Long.MAX_VALUE, -1, -31, -32, -33, -127, -128, -129, -32_767, -32_768, -32_769,
            Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, Long.MIN_VALUE, 1_700_000_000_123_456_789L};
    private static final int[] COUNTS = {0, 1, 15, 16, 31, 32, 255, 256, 65_535, 65_536, 100_000};

    @Test
    void integersAsMessagePackerWritesThem() throws IOException {
        for (long value : LONGS) {
            assertSame("long " + value, out -> out.packLong(value), packer -> packer.packLong(value));
            if (value == (int) value) {
                assertSame("int " + value, out -> out.packInt((int) value), packer -> packer.packInt((int) value));
            }
        }
    }

    @Test
    void doublesNilAndBooleans() throws IOException {
        for (double value : new double[] {0.0, -0.0, 1.5, -2.25e300, Double.NaN, Double.POSITIVE_INFINITY,
                Double.MIN_VALUE}) {
            assertSame("double " + value, out -> out.packDouble(value), packer -> packer.packDouble(value));
        }
        assertSame("nil", PayloadBuffer::packNil, packer -> packer.packNil());
        assertSame("true", out -> out.packBoolean(true), packer -> packer.packBoolean(true));
        assertSame("false", out -> out.packBoolean(false), packer -> packer.packBoolean(false));
    }

    @Test
    void headersAtEveryBoundary() throws IOException {
        for (int count : COUNTS) {
            assertSame("map " + count, out -> out.packMapHeader(count), packer -> packer.packMapHeader(count));
            assertSame("array " + count, out -> out.packArrayHeader(count), packer -> packer.packArrayHeader(count));
            assertSame("str " + count, out -> out.packRawStringHeader(count),
                    packer -> packer.packRawStringHeader(count));
        }
    }

    @Test
    void growsPastItsFirstArrayWithoutLosingBytes() {
        PayloadBuffer buffer = new PayloadBuffer(16);
        byte[] chunk = new byte[1000];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) i;
        }
        for (int i = 0; i < 100; i++) {
            buffer.writePayload(chunk, 1, 999);
            buffer.packLong(Long.MIN_VALUE);
        }
        assertEquals(PayloadBuffer.HEADER_BYTES + 100 * (999 + 9), buffer.size());
        byte[] bytes = buffer.array();
        int at = PayloadBuffer.HEADER_BYTES + 50 * (999 + 9);
        assertArrayEquals(Arrays.copyOfRange(chunk, 1, 1000), Arrays.copyOfRange(bytes, at, at + 999));
        assertEquals((byte) 0xd3, bytes[at + 999]);
    }

    private interface PackerWrite {
        void write(MessageBufferPacker packer) throws IOException;
    }

    private static void assertSame(String what, Consumer<PayloadBuffer> ours, PackerWrite theirs) throws IOException {
        PayloadBuffer buffer = new PayloadBuffer(0);
        ours.accept(buffer);
        byte[] written = Arrays.copyOfRange(buffer.array(), PayloadBuffer.HEADER_BYTES, buffer.size());
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            theirs.write(packer);
            assertArrayEquals(packer.toByteArray(), written, what);
        }
    }
}
