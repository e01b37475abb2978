package dev.traced.internal.writer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The console writer's wait for the rest of a trace, with explicit times (no clock in the test). */
class HeldTracesTest {

    private static final long MS = 1_000_000L;

    @Test
    void chunksOfATraceAreReleasedTogetherOnceTheTraceIsQuiet() {
        HeldTraces<String> held = new HeldTraces<>(100, 200 * MS, 5_000 * MS);
        held.add("trace-1", "server chunk", 1, 0);
        held.add("trace-2", "other", 1, 50 * MS);
        held.add("trace-1", "client chunk", 5, 150 * MS);

        assertEquals(List.of(), held.takeReady(199 * MS, false), "nothing quiet for 200 ms yet");
        assertEquals(List.of(List.of("other")), held.takeReady(250 * MS, false));
        assertEquals(List.of(List.of("server chunk", "client chunk")), held.takeReady(350 * MS, false));
        assertEquals(0, held.heldSpans());
    }

    @Test
    void aFlushReleasesEverything() {
        HeldTraces<String> held = new HeldTraces<>(100, 200 * MS, 5_000 * MS);
        held.add("a", "a1", 1, 0);
        held.add("b", "b1", 1, 0);
        assertEquals(List.of(List.of("a1"), List.of("b1")), held.takeReady(0, true));
    }

    @Test
    void aTraceThatKeepsArrivingIsReleasedAfterTheLongestHold() {
        HeldTraces<String> held = new HeldTraces<>(1000, 200 * MS, 1_000 * MS);
        for (int i = 0; i < 10; i++) {
            held.add("busy", "chunk" + i, 1, i * 100 * MS);
            List<List<String>> ready = held.takeReady(i * 100 * MS, false);
            if (i < 10) {
                assertEquals(List.of(), ready, "at " + i * 100 + " ms");
            }
        }
        assertEquals(1, held.takeReady(1_000 * MS, false).size());
    }

    @Test
    void beyondTheBoundTheOldestTracesAreReleasedAtOnce() {
        HeldTraces<String> held = new HeldTraces<>(10, 200 * MS, 5_000 * MS);
        held.add("old", "old", 6, 0);
        held.add("new", "new", 6, 1);
        assertEquals(List.of(List.of("old")), held.takeReady(2, false), "12 spans held, bound 10: the oldest goes");
        assertEquals(6, held.heldSpans());
    }
}
