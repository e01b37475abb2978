package dev.traced;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What {@code currentSpan()} returns where no span is active: not null, but the no-op span, which
 * records nothing and has all-zero ids (a finished span that stayed active would have real ids).
 */
public final class NoActiveSpan {

    private NoActiveSpan() {
    }

    public static void assertNoActiveSpan(Span current) {
        assertNoActiveSpan(current, "no span is active");
    }

    public static void assertNoActiveSpan(Span current, String message) {
        assertNotNull(current, message + ": currentSpan() is never null");
        assertFalse(current.isRecording(), message + ": " + current);
        assertEquals("0000000000000000", current.context().spanId(), message);
        assertEquals("00000000000000000000000000000000", current.context().traceId(), message);
    }
}
