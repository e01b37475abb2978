package dev.traced.internal.propagation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hand-written parsers and formatters of the hot path, against the JDK's. */
class HeaderTextTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource({
        "1, 1",
        "7298014646913713143, 7298014646913713143",
        "9223372036854775808, 9223372036854775808",
        "18446744073709551615, 18446744073709551615",
        "9999999999999999999, 9999999999999999999",   // 19 digits: above 2^63, below 2^64
        "18446744073709551614, 18446744073709551614",
        "18446744074000000000, 0",      // the first 11 digits already too big
        "18446744073709551616, 0",      // 2^64: too big
        "18446744073709551625, 0",
        "99999999999999999999, 0",
        "100000000000000000000, 0",     // 21 digits
        "00000000000000000001, 1",
        "12a, 0",
        "-1, 0",
        "'', 0",
    })
    void parsesUnsignedDecimalIds(String text, String expected) {
        assertEquals(Long.parseUnsignedLong(expected), HeaderText.parseUnsignedDecimal(text));
    }

    @Test
    void formatsAndParsesLikeTheJdk() {
        SplittableRandom random = new SplittableRandom(11);
        for (long value : List.of(0L, 1L, 9L, 10L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, -10L)) {
            assertEquals(Long.toUnsignedString(value), HeaderText.unsignedDecimal(value));
        }
        for (int i = 0; i < 10_000; i++) {
            long value = random.nextLong();
            String decimal = HeaderText.unsignedDecimal(value);
            assertEquals(Long.toUnsignedString(value), decimal);
            assertEquals(value == 0 ? 0 : value, HeaderText.parseUnsignedDecimal(decimal));
            String hex = String.format("%016x", value);
            assertEquals(value, HeaderText.lowerHex8(hex, 0) << 32 | HeaderText.lowerHex8(hex, 8));
            assertEquals(-1, HeaderText.lowerHex8(hex.substring(0, 7) + "G" + hex.substring(8), 0));
        }
    }

    @Test
    void smallMapKeepsOrderReplacesRemovesAndFreezes() {
        SmallMap map = new SmallMap(0);
        for (int i = 0; i < 40; i++) {
            map.put("k" + i, "v" + i);
        }
        map.put("k3", "three");
        map.remove("k0");
        assertEquals(39, map.size());
        assertEquals("k1", map.keyAt(0));
        assertEquals("three", map.get("k3"));
        assertEquals(null, map.get("k0"));
        assertEquals(null, map.get(null));
        map.entrySet().removeIf(entry -> entry.getKey().equals("k1"));
        assertEquals("k2", map.keyAt(0));
        SmallMap frozen = SmallMap.of(Map.of("a", "1"));
        assertEquals(Map.of("a", "1"), frozen);
        assertThrows(UnsupportedOperationException.class, () -> frozen.put("b", "2"));
        assertEquals(frozen, SmallMap.of(frozen));
    }

    @Test
    void indexOfLooksOnlyWithinTheRange() {
        String header = "user.id=alice,cart=3;prop,x=%41";
        assertEquals(20, HeaderText.indexOf(header, ';', 14, 25));
        assertEquals(-1, HeaderText.indexOf(header, ';', 0, 13), "the ';' of the next item is not this item's");
        assertEquals(-1, HeaderText.indexOf(header, '%', 14, 25));
        assertEquals(28, HeaderText.indexOf(header, '%', 26, header.length()));
        assertEquals(-1, HeaderText.indexOf(header, 'u', 1, 1), "an empty range");
    }
}
