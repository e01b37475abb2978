package dev.traced.internal.trace;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** TagMap behaves as a map, checked against HashMap on random operations, and keeps insertion order. */
class TagMapTest {

    @Test
    void agreesWithHashMapOnRandomOperations() {
        Random random = new Random(42);
        TagMap<String> tags = new TagMap<>(2);
        Map<String, String> reference = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            String key = "k" + random.nextInt(40);
            switch (random.nextInt(3)) {
                case 0 -> assertEquals(reference.put(key, "v" + i), tags.put(key, "v" + i));
                case 1 -> assertEquals(reference.remove(key), tags.remove(key));
                default -> assertEquals(reference.get(key), tags.get(key));
            }
            assertEquals(reference.size(), tags.size());
        }
        assertEquals(reference, tags);
        assertEquals(reference, new HashMap<>(tags));
    }

    @Test
    void keepsInsertionOrderAndRemovesThroughItsIterator() {
        TagMap<Number> tags = new TagMap<>(1);
        tags.put("a", 1);
        tags.put("b", 2);
        tags.put("c", 3);
        tags.put("a", 4);
        assertEquals("a", tags.keyAt(0));
        assertEquals(4, tags.valueAt(0));
        assertEquals("c", tags.keyAt(2));
        Iterator<Map.Entry<String, Number>> it = tags.entrySet().iterator();
        it.next();
        it.next();
        it.remove();
        assertEquals(Map.of("a", 4, "c", 3), tags);
        assertFalse(tags.containsKey("b"));
        assertNull(tags.get(null));
        tags.clear();
        assertEquals(0, tags.size());
    }
}
