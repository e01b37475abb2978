package dev.traced.internal.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketchProtoBinding;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The latency sketches keep Datadog's relative accuracy, also after the protobuf round trip the Agent makes. */
class StatsGroupTest {

    private static final double ACCURACY = 1.0 / 128.0;
    private static final double[] QUANTILES = {0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0};

    @Test
    void quantilesAreWithinTheRelativeAccuracyOfExactQuantiles() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        int n = 200_000;
        long[] durations = new long[n];
        StatsGroup group = new StatsGroup();
        for (int i = 0; i < n; i++) {
            // Log-normal around 2 ms with a long tail, plus a few 2 us and multi-second spans. The store
            // keeps 1024 bins (dd-trace-java's), 64 per doubling: values more than 2^16 below the
            // largest collapse into its lowest bin, so the minimum here is overestimated (asserted
            // below) while every quantile above that floor keeps the relative accuracy.
            double millis = Math.exp(Math.log(2.0) + 1.2 * gaussian(random));
            long nanos = i % 1000 == 0 ? 2_000 + i % 7 : i % 997 == 0 ? 3_000_000_000L + i : (long) (millis * 1e6);
            durations[i] = nanos;
            group.record(nanos, false, true);
        }
        Arrays.sort(durations);
        DDSketch sketch = group.okLatencies();
        ByteBuffer bytes = sketch.serialize();
        byte[] wire = new byte[bytes.remaining()];
        bytes.get(wire);
        DDSketch decoded = DDSketchProtoBinding.fromProto(UnboundedSizeDenseStore::new,
                com.datadoghq.sketch.ddsketch.proto.DDSketch.parseFrom(wire));
        assertEquals(n, decoded.getCount(), 0.0);
        for (DDSketch s : new DDSketch[] {sketch, decoded}) {
            for (double q : QUANTILES) {
                long exact = durations[(int) Math.floor(q * (n - 1))];
                double estimate = s.getValueAtQuantile(q);
                double error = Math.abs(estimate - exact) / exact;
                assertTrue(error <= ACCURACY + 1e-9, "q" + q + ": exact " + exact + ", sketch " + estimate
                        + ", relative error " + error);
            }
        }
        assertTrue(sketch.getValueAtQuantile(0) >= durations[0], "the collapsed lowest bins only overestimate");
        assertEquals(n, group.hits());
        assertEquals(0, group.errorLatencies().getCount(), 0.0);
        assertEquals(Arrays.stream(durations).sum(), group.durationNanos());
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
