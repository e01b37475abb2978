package dev.traced.internal.jaxrs;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Reading a header from RESTEasy's header map gives what {@code getHeaderString} gives. */
class RequestHeadersTest {

    @Test
    void oneLineIsTheReceivedStringAndSeveralAreJoinedWithACommaAsGetHeaderStringDoes() {
        String traceparent = new String("00-92913756556579466547c1a7a2e3c3f7-48485a3953bb6124-01");
        assertSame(traceparent, RequestHeaders.joined(List.of(traceparent)), "no copy for a header sent once");
        assertEquals("user.id=alice,cart=3", RequestHeaders.joined(List.of("user.id=alice", "cart=3")));
        assertEquals("a,,b", RequestHeaders.joined(List.of("a", "", "b")));
        assertNull(RequestHeaders.joined(null));
        assertEquals("", RequestHeaders.joined(new ArrayList<>()), "as getHeaderString for a header without value");
    }
}
