package dev.traced.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.traced.writer.WriterTestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Span links and events on the wire, decoded by the test Agent with the Agent's types: links in
 * {@code span_links}; events in {@code span_events} when {@code /info} says {@code span_events}, else
 * in the {@code events} tag as dd-trace-java writes it.
 */
class LinksAndEventsWireTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant WHEN = Instant.parse("2026-01-02T03:04:05.000000042Z");
    private static final long WHEN_NANOS = WHEN.getEpochSecond() * 1_000_000_000L + 42;

    private TestAgent agent;
    private CloseableTracer tracer;

    @AfterEach
    void stop() {
        if (tracer != null) {
            tracer.close();
        }
        agent.close();
    }

    private void start(boolean announceSpanEvents) {
        agent = TestAgent.start();
        if (announceSpanEvents) {
            agent.announceSpanEvents();
        }
        tracer = WriterTestSupport.tracer(agent, Map.of());
    }

    @Test
    void linksGoInSpanLinksWithTheAgentsTypes() throws Exception {
        start(false);
        Span linked = tracer.trace("linked");
        linked.keepTrace();
        linked.finish();
        CoreSpan target = (CoreSpan) linked;
        SpanContext foreign = new SpanContext() {
            @Override
            public String traceId() {
                return "ffffffffffffffff8000000000000001";
            }

            @Override
            public String spanId() {
                return "ff00000000000001";
            }
        };
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("reason", "batch");
        attributes.put("item", "3");
        try (Span span = tracer.spanBuilder("consume").link(linked.context(), attributes).start()) {
            span.addLink(foreign, null);
        }
        assertTrue(tracer.flush(WAIT));
        agent.awaitSpans(2, WAIT);
        assertEquals(List.of(), agent.errors());

        DecodedSpan consume = byName(agent.spans(), "consume");
        assertEquals(2, consume.spanLinks().size());
        DecodedSpan.Link first = consume.spanLinks().get(0);
        assertEquals(target.traceIdLow(), first.traceId());
        assertEquals(target.traceIdHigh(), first.traceIdHigh());
        assertEquals(target.spanIdValue(), first.spanId());
        assertEquals(attributes, first.attributes());
        assertEquals(List.of("reason", "item"), List.copyOf(first.attributes().keySet()));
        assertNull(first.tracestate());
        assertEquals(0x80000001L, first.flags(), "sampled, bit 31 set");
        DecodedSpan.Link second = consume.spanLinks().get(1);
        assertEquals(0x8000000000000001L, second.traceId(), "unsigned 64 bits");
        assertEquals(-1L, second.traceIdHigh());
        assertEquals(0xff00000000000001L, second.spanId());
        assertEquals(Map.of(), second.attributes());
        assertNull(second.flags(), "unknown: left out");
        assertFalse(consume.meta().containsKey("_dd.span_links"));

        DecodedSpan plain = byName(agent.spans(), "linked");
        assertEquals(List.of(), plain.spanLinks(), "no span_links key on a span without links");
        assertEquals(List.of(), plain.spanEvents());
    }

    @Test
    void eventsGoInSpanEventsWhenTheAgentSaysSo() throws Exception {
        start(true);
        try (Span span = tracer.trace("op")) {
            span.addEvent("retry", attributes(), WHEN);
            span.addEvent("bare", null);
        }
        assertTrue(tracer.flush(WAIT));
        DecodedSpan op = agent.awaitSpans(1, WAIT).get(0);
        assertEquals(List.of(), agent.errors());
        assertFalse(op.meta().containsKey("events"));
        assertEquals(2, op.spanEvents().size());
        DecodedSpan.Event retry = op.spanEvents().get(0);
        assertEquals(WHEN_NANOS, retry.timeUnixNano());
        assertEquals("retry", retry.name());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("attempt", 2L);
        expected.put("ok", false);
        expected.put("ratio", 0.5);
        expected.put("host", "db-1");
        expected.put("codes", List.of(500L, 503L));
        expected.put("tags", List.of("a", "b"));
        expected.put("weights", List.of(1.5));
        expected.put("flags", List.of(true));
        assertEquals(expected, retry.attributes());
        DecodedSpan.Event bare = op.spanEvents().get(1);
        assertEquals(Map.of(), bare.attributes());
        assertTrue(bare.timeUnixNano() >= op.start() && bare.timeUnixNano() <= op.start() + op.duration());
    }

    @Test
    void eventsGoInTheEventsTagOtherwiseAsDdTraceJavaWritesIt() throws Exception {
        start(false);
        try (Span span = tracer.trace("op")) {
            span.addEvent("retry", attributes(), WHEN);
            span.addEvent("quote\"d", Map.of("nan", Double.NaN));
        }
        assertTrue(tracer.flush(WAIT));
        DecodedSpan op = agent.awaitSpans(1, WAIT).get(0);
        assertEquals(List.of(), agent.errors());
        assertEquals(List.of(), op.spanEvents());
        String json = op.meta().get("events");
        assertTrue(json.startsWith("[{\"time_unix_nano\":" + WHEN_NANOS + ",\"name\":\"retry\",\"attributes\":{"),
                json);
        JsonNode events = JSON.readTree(json);
        assertEquals(2, events.size());
        JsonNode retry = events.get(0).get("attributes");
        assertEquals(2, retry.get("attempt").asLong());
        assertTrue(retry.get("attempt").isIntegralNumber());
        assertTrue(retry.get("ok").isBoolean());
        assertEquals(0.5, retry.get("ratio").asDouble());
        assertEquals("db-1", retry.get("host").asText());
        assertEquals("[500,503]", retry.get("codes").toString());
        assertEquals("[\"a\",\"b\"]", retry.get("tags").toString());
        assertEquals("quote\"d", events.get(1).get("name").asText());
        assertEquals("NaN", events.get(1).get("attributes").get("nan").asText(), "JSON has no NaN: its text");
    }

    @Test
    void theEventsTagStaysUnder25000Characters() throws Exception {
        start(false);
        try (Span span = tracer.trace("op")) {
            for (int i = 0; i < 10; i++) {
                span.addEvent("e" + i, Map.of("text", "x".repeat(9_000)));
            }
        }
        assertTrue(tracer.flush(WAIT));
        DecodedSpan op = agent.awaitSpans(1, WAIT).get(0);
        assertEquals(List.of(), agent.errors());
        String json = op.meta().get("events");
        assertTrue(json.length() < 25_000, "length " + json.length());
        assertEquals(2, JSON.readTree(json).size(), "the events that fit, in order");
    }

    @Test
    void aTerminatedContextLinkTravelsThroughSpanLinks() throws Exception {
        start(false);
        Map<String, String> headers = Map.of(
                "x-datadog-trace-id", "1", "x-datadog-parent-id", "2", "x-datadog-sampling-priority", "1",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
                "tracestate", "dd=s:-1,rojo=00f067aa0ba902b7");
        SpanContext parent = tracer.extract(headers::get);
        try (Span server = tracer.spanBuilder("server").parent(parent).start()) {
            try (Span child = tracer.trace("child")) {
                child.setTag("k", "v");
            }
        }
        assertTrue(tracer.flush(WAIT));
        agent.awaitSpans(2, WAIT);
        assertEquals(List.of(), agent.errors());
        DecodedSpan server = byName(agent.spans(), "server");
        assertEquals(1, server.traceId());
        assertEquals(List.of(new DecodedSpan.Link(0xa3ce929d0e0e4736L, 0x4bf92f3577b34da6L, 0x00f067aa0ba902b7L,
                Map.of("reason", "terminated_context", "context_headers", "tracecontext"),
                "dd=s:-1,rojo=00f067aa0ba902b7", 0x80000000L)), server.spanLinks());
        assertFalse(server.meta().containsKey("_dd.span_links"));
        assertEquals(List.of(), byName(agent.spans(), "child").spanLinks(), "on the local root only");
    }

    private static Map<String, Object> attributes() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("attempt", 2);
        attributes.put("ok", false);
        attributes.put("ratio", 0.5);
        attributes.put("host", "db-1");
        attributes.put("codes", new int[] {500, 503});
        attributes.put("tags", List.of("a", "b"));
        attributes.put("weights", new double[] {1.5});
        attributes.put("flags", new boolean[] {true});
        return attributes;
    }

    private static DecodedSpan byName(List<DecodedSpan> spans, String name) {
        return spans.stream().filter(span -> span.name().equals(name)).findFirst().orElseThrow();
    }
}
