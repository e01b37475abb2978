package dev.traced.core;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.TracerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Span.addLink}, {@code SpanBuilder.link} and {@code Span.addEvent}: what is kept, what is left out. */
class SpanLinksAndEventsTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final InMemoryTraces traces = new InMemoryTraces();
    private CloseableTracer tracer;

    @BeforeEach
    void setUp() {
        tracer = TracerBuilder.create().ignoreEnvironment().config("dd.service", "svc").inMemory(traces).build();
    }

    @AfterEach
    void tearDown() {
        tracer.close();
    }

    // ---- links -------------------------------------------------------------------------------

    @Test
    void linksFromTheBuilderAndBeforeFinishAreKeptInOrder() {
        Span producer = tracer.spanBuilder("produce").noParent().startInactive();
        Span other = tracer.spanBuilder("other").noParent().startInactive();
        Span consumer = tracer.spanBuilder("consume").noParent()
                .link(producer.context(), Map.of("reason", "batch")).startInactive();
        consumer.addLink(other.context(), null);
        consumer.finish();
        producer.finish();
        other.finish();

        List<? extends FinishedSpan.Link> links = traces.span("consume").links();
        assertEquals(2, links.size());
        assertEquals(producer.context().traceId(), links.get(0).traceId());
        assertEquals(producer.context().spanId(), links.get(0).spanId());
        assertEquals(Map.of("reason", "batch"), links.get(0).attributes());
        assertEquals(other.context().spanId(), links.get(1).spanId());
        assertEquals(Map.of(), links.get(1).attributes());
        assertEquals(List.of(), traces.span("produce").links());
    }

    @Test
    void linkAfterFinishIsIgnored() {
        Span linked = tracer.trace("linked");
        linked.finish();
        Span span = tracer.trace("op");
        span.finish();
        span.addLink(linked.context(), Map.of("k", "v"));
        span.addEvent("late", Map.of());
        assertEquals(List.of(), traces.span("op").links());
        assertEquals(List.of(), traces.span("op").events());
    }

    @Test
    void linkFlagsFollowTheLinkedTracesSamplingDecision() {
        Span decided = tracer.trace("decided");
        decided.keepTrace();
        decided.finish(); // the priority is decided when the root finishes
        Span undecided = tracer.spanBuilder("undecided").noParent().startInactive();
        try (Span span = tracer.spanBuilder("op").noParent().link(decided.context(), null)
                .link(undecided.context(), null).start()) {
            assertTrue(span.context().traceId().length() == 32);
        }
        undecided.finish();
        List<? extends FinishedSpan.Link> links = traces.span("op").links();
        assertEquals(0x80000001L, links.get(0).flags(), "sampled, with the Agent's 'set' bit");
        assertEquals(0, links.get(1).flags(), "no decision yet: left out");
    }

    @Test
    void linksToForeignContextsParseTheirHexIdsAndBadOnesAreIgnored() {
        Span span = tracer.trace("op");
        span.addLink(context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"), Map.of());
        span.addLink(context("00000000000000000000000000000000", "00f067aa0ba902b7"), Map.of()); // zero trace id
        span.addLink(context("not-hex", "1"), Map.of());
        span.addLink(context(null, null), Map.of());
        span.addLink(new SpanContext() {
            @Override
            public String traceId() {
                throw new IllegalStateException("hostile");
            }

            @Override
            public String spanId() {
                return "1";
            }
        }, Map.of());
        span.addLink(null, Map.of());
        span.finish();
        List<? extends FinishedSpan.Link> links = traces.span("op").links();
        assertEquals(1, links.size());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", links.get(0).traceId());
        assertEquals("00f067aa0ba902b7", links.get(0).spanId());
    }

    @Test
    void linkAttributesSkipNullsAndAreBounded() {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("kept", "yes");
        attributes.put(null, "no key");
        attributes.put("no value", null);
        Span span = tracer.trace("op");
        span.addLink(tracer.trace("x").context(), attributes);
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            many.put("k" + i, "x".repeat(30_000));
        }
        span.addLink(context(TRACE, "00000000000fffff"), many);
        for (int i = 0; i < 300; i++) {
            span.addLink(context(TRACE, String.format("%016x", i + 1)), Map.of("i", Integer.toString(i)));
        }
        tracer.currentSpan().finish();
        span.finish();
        List<? extends FinishedSpan.Link> links = traces.span("op").links();
        assertEquals(Map.of("kept", "yes"), links.get(0).attributes());
        assertEquals(128, links.size(), "at most 128 links per span");
        // The 500 huge attributes were cut to 128 of 25,000 characters: over the span's budget, so dropped whole.
        assertFalse(links.stream().anyMatch(link -> link.attributes().size() > 1));
        assertEquals("0", links.get(1).attributes().get("i"));
    }

    @Test
    void aSecondLinkToTheSameSpanReplacesTheFirst() {
        Span span = tracer.trace("op");
        span.addLink(context(TRACE, "0000000000000001"), Map.of("n", "1"));
        span.addLink(context(TRACE, "0000000000000002"), Map.of("n", "2"));
        span.addLink(context(TRACE, "0000000000000001"), Map.of("n", "3"));
        span.finish();
        assertEquals(List.of(Map.of("n", "3"), Map.of("n", "2")),
                traces.span("op").links().stream().map(FinishedSpan.Link::attributes).toList());
    }

    @Test
    void linkAttributesAreCutAt25000Characters() {
        Span span = tracer.trace("op");
        span.addLink(span.context(), Map.of("long", "y".repeat(30_000)));
        span.finish();
        assertEquals(25_000, traces.span("op").links().get(0).attributes().get("long").length());
    }

    // ---- events ------------------------------------------------------------------------------

    @Test
    void eventTimeIsNowOnTheSpansClockOrTheGivenInstant() {
        Span span = tracer.trace("op");
        Instant given = Instant.parse("2026-01-02T03:04:05.123456789Z");
        span.addEvent("now", Map.of());
        span.addEvent("then", null, given);
        span.finish();
        FinishedSpan finished = traces.span("op");
        List<? extends FinishedSpan.Event> events = finished.events();
        assertEquals(List.of("now", "then"), events.stream().map(FinishedSpan.Event::name).toList());
        long now = events.get(0).epochNanos();
        assertTrue(now >= finished.startEpochNanos() && now <= finished.startEpochNanos() + finished.durationNanos(),
                "within the span");
        assertEquals(TimeUnit.SECONDS.toNanos(given.getEpochSecond()) + 123_456_789, events.get(1).epochNanos());
        assertEquals(Map.of(), events.get(1).attributes());
    }

    @Test
    void eventAttributeTypesAsDatadogsSpanEventsAllow() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("string", "s");
        attributes.put("bool", true);
        attributes.put("int", 7);
        attributes.put("long", 8L);
        attributes.put("short", (short) 9);
        attributes.put("float", 1.5f);
        attributes.put("double", 2.25);
        attributes.put("strings", List.of("a", "b"));
        attributes.put("longs", new long[] {1, 2});
        attributes.put("ints", new int[] {3});
        attributes.put("doubles", new double[] {0.5});
        attributes.put("bools", new Boolean[] {true, null, false});
        attributes.put("set", Set.of("only"));
        attributes.put("decimal", new BigDecimal("1.10"));
        attributes.put("chars", new StringBuilder("sb"));
        attributes.put("enum", ChronoUnit.DAYS);
        attributes.put("char", 'c');
        // Left out, with a debug log:
        attributes.put("null", null);
        attributes.put("object", new Object());
        attributes.put("mixed", List.of("a", 1));
        attributes.put("nested", List.of(List.of("a")));
        attributes.put("map", Map.of("a", "b"));
        attributes.put("", "no key");
        Span span = tracer.trace("op");
        span.addEvent("typed", attributes);
        span.finish();

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("string", "s");
        expected.put("bool", true);
        expected.put("int", 7L);
        expected.put("long", 8L);
        expected.put("short", 9L);
        expected.put("float", 1.5);
        expected.put("double", 2.25);
        expected.put("strings", List.of("a", "b"));
        expected.put("longs", List.of(1L, 2L));
        expected.put("ints", List.of(3L));
        expected.put("doubles", List.of(0.5));
        expected.put("bools", List.of(true, false));
        expected.put("set", List.of("only"));
        expected.put("decimal", "1.10");
        expected.put("chars", "sb");
        expected.put("enum", "DAYS");
        expected.put("char", "c");
        Map<String, Object> actual = traces.span("op").events().get(0).attributes();
        assertEquals(expected, actual);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "insertion order");
    }

    @Test
    void eventsAreBoundedPerSpanPerEventAndPerArray() {
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            many.put("k" + i, i);
        }
        List<Long> longArray = new ArrayList<>();
        for (long i = 0; i < 1000; i++) {
            longArray.add(i);
        }
        Span span = tracer.trace("op");
        span.addEvent("many", many);
        span.addEvent("array", Map.of("a", longArray));
        span.addEvent("huge", Map.of("s", "z".repeat(60_000)));
        span.addEvent("", Map.of("k", "no name"));
        span.addEvent(null, Map.of("k", "no name"));
        for (int i = 0; i < 300; i++) {
            span.addEvent("e" + i, Map.of("i", i));
        }
        span.finish();
        List<? extends FinishedSpan.Event> events = traces.span("op").events();
        assertEquals(128, events.size(), "at most 128 events per span");
        assertEquals(128, events.get(0).attributes().size(), "at most 128 attributes per event");
        assertEquals(128, ((List<?>) events.get(1).attributes().get("a")).size(), "at most 128 elements per array");
        assertEquals(25_000, ((String) events.get(2).attributes().get("s")).length(), "strings cut at 25,000");
        assertEquals("e0", events.get(3).name(), "events without a name are ignored");
    }

    @Test
    void aHostileMapDoesNotEscape() {
        Map<String, Object> hostile = new HashMap<>() {
            @Override
            public Set<Map.Entry<String, Object>> entrySet() {
                throw new IllegalStateException("hostile");
            }

            @Override
            public boolean isEmpty() {
                return false;
            }
        };
        Span span = tracer.trace("op");
        span.addEvent("bad", hostile);
        span.addEvent("far", Map.of(), Instant.MAX);
        span.addEvent("good", Map.of());
        span.finish();
        assertEquals(List.of("good"), traces.span("op").events().stream().map(FinishedSpan.Event::name).toList());
    }

    @Test
    void aDisabledTracerAcceptsLinksAndEvents() {
        try (CloseableTracer disabled = TracerBuilder.create().ignoreEnvironment()
                .config("dd.trace.enabled", "false").build()) {
            try (Span span = disabled.spanBuilder("op").link(tracer.trace("x").context(), Map.of()).start()) {
                span.addLink(span.context(), Map.of()).addEvent("e", Map.of("k", 1)).addEvent("t", null, Instant.now());
            }
            tracer.currentSpan().finish();
        }
    }

    private static SpanContext context(String traceId, String spanId) {
        return new SpanContext() {
            @Override
            public String traceId() {
                return traceId;
            }

            @Override
            public String spanId() {
                return spanId;
            }
        };
    }
}
