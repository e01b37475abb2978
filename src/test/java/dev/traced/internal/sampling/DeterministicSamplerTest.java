package dev.traced.internal.sampling;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler agrees with the formula of the spec (§3), computed here with exact arithmetic. */
class DeterministicSamplerTest {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger KNUTH = BigInteger.valueOf(1111111111111111111L);
    private static final double[] RATES = {0, 0.001, 0.1, 0.25, 0.3333, 0.5, 0.5000001, 0.75, 0.9999, 1.0};

    /** keep iff (id * 1111111111111111111) mod 2^64 <= rate * (2^64 - 1), unsigned. */
    private static boolean expected(long traceIdLow, double rate) {
        BigInteger id = new BigInteger(Long.toUnsignedString(traceIdLow));
        BigInteger product = id.multiply(KNUTH).mod(TWO_64);
        BigDecimal limit = new BigDecimal(rate).multiply(new BigDecimal(TWO_64.subtract(BigInteger.ONE)));
        return new BigDecimal(product).compareTo(limit) <= 0;
    }

    private static List<Long> ids() {
        List<Long> ids = new ArrayList<>(List.of(1L, 2L, 3L, 12345L, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, -1L,
                0x0123456789abcdefL, 0xfedcba9876543210L));
        Random random = new Random(20261124);
        for (int i = 0; i < 300; i++) {
            ids.add(random.nextLong());
        }
        return ids;
    }

    @Test
    void agreesWithTheSpecFormulaOnATableOfIdsAndRates() {
        int kept = 0;
        for (long id : ids()) {
            for (double rate : RATES) {
                boolean actual = DeterministicSampler.keeps(id, DeterministicSampler.cutoff(rate));
                assertEquals(expected(id, rate), actual, () -> "id " + Long.toUnsignedString(id) + " rate " + rate);
                kept += actual ? 1 : 0;
            }
        }
        // Neither all nor nothing: the table exercises both outcomes.
        assertTrue(kept > 0 && kept < ids().size() * RATES.length);
    }

    @Test
    void rateOneKeepsEvenTheIdWhoseProductIsTheLargestUnsignedValue() {
        long id = KNUTH.modInverse(TWO_64).multiply(TWO_64.subtract(BigInteger.ONE)).mod(TWO_64).longValue();
        assertEquals(-1L, id * DeterministicSampler.KNUTH_FACTOR);
        assertTrue(expected(id, 1.0));
        assertTrue(DeterministicSampler.keeps(id, DeterministicSampler.cutoff(1.0)));
        assertEquals(false, DeterministicSampler.keeps(id, DeterministicSampler.cutoff(0.9999)));
    }

    @Test
    void keepsAboutTheRateOfSequentialIds() {
        long cutoff = DeterministicSampler.cutoff(0.3);
        int kept = 0;
        for (long id = 1; id <= 100_000; id++) {
            kept += DeterministicSampler.keeps(id, cutoff) ? 1 : 0;
        }
        assertTrue(kept > 29_000 && kept < 31_000, "kept " + kept);
    }

    @Test
    void zeroAndNanKeepNothing() {
        assertEquals(false, DeterministicSampler.keeps(0, DeterministicSampler.cutoff(0)));
        assertEquals(false, DeterministicSampler.keeps(42, DeterministicSampler.cutoff(Double.NaN)));
    }
}
