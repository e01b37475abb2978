package dev.traced.internal.sampling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobTest {

    @Test
    void wildcardsMatchAsInDatadogRules() {
        assertTrue(Glob.of("*").matches(null));
        assertTrue(Glob.of("**").matches("anything"));
        assertTrue(Glob.of("web.*").matches("WEB.request"));
        assertTrue(Glob.of("web.*").matches("web."));
        assertFalse(Glob.of("web.*").matches("web"));
        assertFalse(Glob.of("web.*").matches(null));
        assertTrue(Glob.of("Shop").matches("shop"));
        assertFalse(Glob.of("shop").matches("shops"));
        assertTrue(Glob.of("s?op").matches("stop"));
        assertFalse(Glob.of("s?op").matches("sop"));
        assertTrue(Glob.of("*/items/*").matches("GET /items/42"));
        assertTrue(Glob.of("a*b*c").matches("aXXbYYbZZc"));
        assertFalse(Glob.of("a*b*c").matches("aXXbYYbZZ"));
        assertTrue(Glob.of("*?").matches("x"));
        assertFalse(Glob.of("*?").matches(""));
    }
}
