package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.traced.propagation.Carrier.extractNonNull;
import static dev.traced.propagation.Carrier.headers;
import static dev.traced.propagation.Carrier.inject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The header text a trace keeps between its outgoing calls ({@code x-datadog-tags}, the {@code t.*}
 * elements of the {@code dd} tracestate member, {@code baggage}) follows every change of the trace:
 * a later call never sends what an earlier one did once the trace's tags or baggage changed.
 */
class RepeatedInjectionTest {

    private static final Map<String, String> CALLER = headers(
            "x-datadog-trace-id", "7298014646913713143",
            "x-datadog-parent-id", "5208512171318403364",
            "x-datadog-sampling-priority", "1",
            "x-datadog-tags", "_dd.p.dm=-1,_dd.p.tid=9291375655657946",
            "traceparent", "00-92913756556579466547c1a7a2e3c3f7-48485a3953bb6124-01",
            "tracestate", "dd=s:1;p:48485a3953bb6124;t.dm:-1;t.tid:9291375655657946,rojo=00f067aa0ba902b7",
            "baggage", "user.id=alice,account.id=acme%20corp");

    private final CloseableTracer tracer = Carrier.tracer();

    @AfterEach
    void close() {
        tracer.close();
    }

    /**
     * Three calls in a row (the first writes the text, the second keeps it, the third reuses it):
     * their trace-level headers must be the same; returns the last call's headers.
     */
    private Map<String, String> threeCalls() {
        Map<String, String> first = null;
        Map<String, String> last = null;
        for (int call = 0; call < 3; call++) {
            Span span = tracer.trace("call");
            last = inject(tracer, span.context());
            span.finish();
            assertEquals("dd=" + last.get("tracestate").substring(3).replaceFirst("p:[0-9a-f]{16}", "p:"
                    + span.context().spanId()), last.get("tracestate"));
            if (first == null) {
                first = last;
            } else {
                for (String name : new String[] {"x-datadog-tags", "baggage", "x-datadog-sampling-priority"}) {
                    assertEquals(first.get(name), last.get(name), name + " of call " + (call + 1));
                }
                assertEquals(first.get("tracestate").replaceFirst("p:[0-9a-f]{16}", ""),
                        last.get("tracestate").replaceFirst("p:[0-9a-f]{16}", ""));
            }
        }
        return last;
    }

    @Test
    void everyCallOfATraceSendsTheSameTextAndItsOwnSpanId() {
        SpanContext caller = extractNonNull(tracer, CALLER);
        Span server = tracer.spanBuilder("server").parent(caller).start();
        Span first = tracer.trace("call-1");
        Map<String, String> one = inject(tracer, first.context());
        first.finish();
        Span second = tracer.trace("call-2");
        Map<String, String> two = inject(tracer, second.context());
        second.finish();
        Map<String, String> fifth = threeCalls();
        server.finish();
        assertEquals(one.get("x-datadog-tags"), fifth.get("x-datadog-tags"));
        assertEquals(one.get("baggage"), fifth.get("baggage"));

        assertEquals("_dd.p.dm=-1,_dd.p.tid=9291375655657946", one.get("x-datadog-tags"));
        assertEquals(one.get("x-datadog-tags"), two.get("x-datadog-tags"));
        assertEquals("user.id=alice,account.id=acme%20corp", one.get("baggage"));
        assertEquals(one.get("baggage"), two.get("baggage"));
        assertEquals("dd=s:1;p:" + first.context().spanId() + ";t.dm:-1;t.tid:9291375655657946,rojo=00f067aa0ba902b7",
                one.get("tracestate"));
        assertEquals("dd=s:1;p:" + second.context().spanId() + ";t.dm:-1;t.tid:9291375655657946,rojo=00f067aa0ba902b7",
                two.get("tracestate"));
        assertEquals("00-92913756556579466547c1a7a2e3c3f7-" + second.context().spanId() + "-01", two.get("traceparent"));
        assertEquals(Long.toUnsignedString(Long.parseUnsignedLong(second.context().spanId(), 16)),
                two.get("x-datadog-parent-id"));
    }

    @Test
    void aDecisionTakenAfterACallGoesOutWithTheNextCall() {
        Span server = tracer.spanBuilder("server").parent(extractNonNull(tracer, CALLER)).start();
        Map<String, String> before = threeCalls();
        server.keepTrace(); // manual.keep: priority USER_KEEP, decision maker -4
        Map<String, String> after = threeCalls();
        server.finish();

        assertEquals("1", before.get("x-datadog-sampling-priority"));
        assertEquals("2", after.get("x-datadog-sampling-priority"));
        assertTrue(after.get("x-datadog-tags").contains("_dd.p.dm=-4"), after.get("x-datadog-tags"));
        assertTrue(after.get("tracestate").matches("dd=s:2;p:[0-9a-f]{16};t\\.dm:-4;.*"), after.get("tracestate"));
        assertFalse(after.get("x-datadog-tags").contains("_dd.p.dm=-1"), after.get("x-datadog-tags"));
    }

    @Test
    void baggageSetAfterACallGoesOutWithTheNextCall() {
        Span server = tracer.spanBuilder("server").parent(extractNonNull(tracer, CALLER)).start();
        Map<String, String> before = threeCalls();
        server.setBaggageItem("session.id", "7f3a9c2e").removeBaggageItem("user.id");
        Map<String, String> after = threeCalls();
        server.finish();

        assertEquals("user.id=alice,account.id=acme%20corp", before.get("baggage"));
        assertEquals("account.id=acme%20corp,session.id=7f3a9c2e", after.get("baggage"));
    }

    @Test
    void aTraceWithoutTagsOrBaggageSendsNoTagsOrBaggageHeaderTwice() {
        Span root = tracer.trace("root");
        root.setTag("manual.keep", true);
        for (int call = 0; call < 2; call++) {
            Map<String, String> headers = inject(tracer, root.context());
            assertFalse(headers.containsKey("baggage"), headers.toString());
            assertTrue(headers.get("tracestate").startsWith("dd=s:2;p:" + root.context().spanId()),
                    headers.get("tracestate"));
        }
        root.finish();
    }

    /**
     * The thread's injection state is reused from call to call: an injection made from inside another
     * (a carrier that injects again while it is given a header) must leave both as they would be apart.
     */
    @Test
    void anInjectionFromInsideAnotherLeavesBothWhole() {
        SpanContext remote = extractNonNull(tracer, CALLER);
        Span other = tracer.trace("other");
        Map<String, String> otherAlone = inject(tracer, other.context());
        Map<String, String> outer = new java.util.LinkedHashMap<>();
        Map<String, String> inner = new java.util.LinkedHashMap<>();
        tracer.inject(remote, (name, value) -> {
            if (outer.isEmpty()) {
                tracer.inject(other.context(), inner::put);
            }
            outer.put(name, value);
        });
        other.finish();
        assertEquals(inject(tracer, remote), outer, "the outer injection");
        assertEquals(otherAlone, inner, "the inner injection");
        Map<String, String> after = inject(tracer, remote);
        assertEquals(outer, after, "the next injection on the thread");
    }
}
