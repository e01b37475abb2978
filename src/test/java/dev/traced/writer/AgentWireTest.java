package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.traced.writer.WriterTestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed page's examples, sent to a decoding test Agent and checked field by field. */
class AgentWireTest {

    private TestAgent agent;
    private CloseableTracer tracer;

    @BeforeEach
    void start() {
        agent = TestAgent.start();
        tracer = WriterTestSupport.tracer(agent, Map.of());
    }

    @AfterEach
    void stop() {
        tracer.close();
        agent.close();
    }

    @Test
    void sandwichMakeWithChildrenArrivesFieldByField() throws Exception {
        long before = System.currentTimeMillis() * 1_000_000L;
        CoreSpan root;
        CoreSpan ingredients;
        CoreSpan assemble;
        try (Span make = tracer.trace("sandwich.make")) {
            root = (CoreSpan) make;
            try (Span child = tracer.trace("get_ingredients", "resource_name")) {
                child.setService("my-sandwich-making-svc");
                ingredients = (CoreSpan) child;
            }
            try (Span child = tracer.trace("assemble_sandwich", "resource_name")) {
                child.setService("my-sandwich-making-svc");
                child.setTag("sandwich.layers", 3);
                child.setTag("sandwich.ratio", 0.5f);
                assemble = (CoreSpan) child;
            }
        }
        long after = System.currentTimeMillis() * 1_000_000L;
        assertTrue(tracer.flush(WAIT));
        List<DecodedSpan> spans = agent.awaitSpans(3, WAIT);
        assertEquals(List.of(), agent.errors());
        assertEquals(3, spans.size());
        assertEquals(1, agent.traceRequests().get(0).traces().size(), "one chunk");

        DecodedSpan make = byName(spans, "sandwich.make");
        assertEquals("sandwich-shop", make.service());
        assertEquals("sandwich.make", make.resource());
        assertEquals(root.traceIdLow(), make.traceId());
        assertEquals(root.spanIdValue(), make.spanId());
        assertEquals(0, make.parentId());
        assertTrue(make.start() >= before - 1_000_000 && make.start() <= after + 1_000_000, "start in ns since epoch");
        assertTrue(make.duration() > 0 && make.duration() <= after - before + 1_000_000);
        assertNull(make.type(), "type is nil when unset");
        assertEquals(0, make.error());
        assertEquals("test", make.meta().get("env"));
        assertEquals("1.2.3", make.meta().get("version"));
        assertEquals("jvm", make.meta().get("language"));
        assertNotNull(make.meta().get("runtime-id"));
        assertEquals(Thread.currentThread().getName(), make.meta().get("thread.name"));
        assertEquals(Thread.currentThread().getId(), make.metrics().get("thread.id"));
        assertEquals(ProcessHandle.current().pid(), make.metrics().get("process_id"));
        assertEquals(1L, make.metrics().get("_dd.top_level"));
        assertEquals(1L, make.metrics().get("_sampling_priority_v1"));
        assertEquals(1.0, make.metrics().get("_dd.agent_psr"));
        assertFalse(make.meta().containsKey("_dd.base_service"));

        DecodedSpan get = byName(spans, "get_ingredients");
        assertEquals("my-sandwich-making-svc", get.service());
        assertEquals("resource_name", get.resource());
        assertEquals(root.traceIdLow(), get.traceId());
        assertEquals(ingredients.spanIdValue(), get.spanId());
        assertEquals(root.spanIdValue(), get.parentId());
        assertEquals("sandwich-shop", get.meta().get("_dd.base_service"));
        assertEquals(1L, get.metrics().get("_dd.top_level"), "service differs from its parent's");
        assertFalse(get.meta().containsKey("version"), "version only on the main service");
        assertFalse(get.meta().containsKey("language"), "language only on the local root");
        assertFalse(get.metrics().containsKey("process_id"));

        DecodedSpan assembled = byName(spans, "assemble_sandwich");
        assertEquals(assemble.spanIdValue(), assembled.spanId());
        assertEquals(root.spanIdValue(), assembled.parentId());
        assertEquals(3L, assembled.metrics().get("sandwich.layers"), "integers stay integers");
        assertEquals(0.5, assembled.metrics().get("sandwich.ratio"), "floats are float64");

        // The trace-level tags go on the first span of the chunk only, with the upper 64 bits of the id.
        List<DecodedSpan> chunk = agent.traceRequests().get(0).traces().get(0);
        String tid = String.format("%016x", root.traceIdHigh());
        assertEquals(tid, chunk.get(0).meta().get("_dd.p.tid"));
        assertEquals("-1", chunk.get(0).meta().get("_dd.p.dm"));
        for (DecodedSpan other : chunk.subList(1, chunk.size())) {
            assertFalse(other.meta().containsKey("_dd.p.tid"), other.name());
            assertFalse(other.meta().containsKey("_dd.p.dm"), other.name());
        }
    }

    @Test
    void errorTypeAndResourceFromTheSeedPage() throws Exception {
        try {
            tracer.run("sandwich.fail", span -> {
                span.setSpanType("web");
                span.setResource("GET /sandwich");
                throw new IllegalStateException("Oops!");
            });
        } catch (IllegalStateException expected) {
            // The user's exception passes through unchanged.
        }
        tracer.flush(WAIT);
        DecodedSpan span = agent.awaitSpans(1, WAIT).get(0);
        assertEquals(List.of(), agent.errors());
        assertEquals("sandwich.fail", span.name());
        assertEquals("GET /sandwich", span.resource());
        assertEquals("web", span.type());
        assertEquals(1, span.error());
        assertEquals("java.lang.IllegalStateException", span.meta().get("error.type"));
        assertEquals("Oops!", span.meta().get("error.message"));
        assertTrue(span.meta().get("error.stack").startsWith("java.lang.IllegalStateException: Oops!"));
    }

    @Test
    void headersAreTheJavaTracersHeaders() throws Exception {
        WriterTestSupport.finishTraces(tracer, "one", 2);
        tracer.flush(WAIT);
        agent.awaitSpans(2, WAIT);
        TestAgent.Request request = agent.traceRequests().get(0);
        assertEquals("PUT", request.method());
        assertEquals("application/msgpack", request.header("Content-Type"));
        assertEquals("java", request.header("Datadog-Meta-Lang"));
        assertEquals(System.getProperty("java.version"), request.header("Datadog-Meta-Lang-Version"));
        assertEquals(System.getProperty("java.vm.name"), request.header("Datadog-Meta-Lang-Interpreter"));
        assertEquals(System.getProperty("java.vm.vendor"), request.header("Datadog-Meta-Lang-Interpreter-Vendor"));
        assertEquals("0.1.0-SNAPSHOT", request.header("Datadog-Meta-Tracer-Version"));
        assertEquals(Integer.toString(request.traces().size()), request.header("X-Datadog-Trace-Count"));
        assertEquals("true", request.header("Datadog-Client-Computed-Top-Level"));
        assertEquals("0", request.header("Datadog-Client-Dropped-P0-Traces"));
        assertEquals("0", request.header("Datadog-Client-Dropped-P0-Spans"));
        assertEquals(List.of(), agent.errors());
    }

    @Test
    void unicodeAndLongValuesAreValidUtf8() throws Exception {
        String text = "caf\u00e9 \u2615 \uD83E\uDD6A";
        try (Span span = tracer.trace("unicode")) {
            span.setTag("text", text);
            span.setTag("long", "x".repeat(30_000));
        }
        tracer.flush(WAIT);
        DecodedSpan span = agent.awaitSpans(1, WAIT).get(0);
        assertEquals(List.of(), agent.errors());
        assertEquals(text, span.meta().get("text"));
        assertEquals(25_000, span.meta().get("long").length(), "cut where the Agent would truncate");
    }

    @Test
    void idsWithTheHighBitSetAreWrittenAsUint64() throws Exception {
        SpanContext remote = new SpanContext() {
            @Override
            public String traceId() {
                return "00000000000000aafedcba9876543210";
            }

            @Override
            public String spanId() {
                return "ffffffffffffff01";
            }
        };
        try (Span span = tracer.spanBuilder("continued").parent(remote).start()) {
            span.setTag("side", "server");
        }
        tracer.flush(WAIT);
        DecodedSpan span = agent.awaitSpans(1, WAIT).get(0);
        assertEquals(List.of(), agent.errors(), "ids are int or uint");
        assertEquals("fedcba9876543210", Long.toHexString(span.traceId()));
        assertEquals("ffffffffffffff01", Long.toHexString(span.parentId()));
        assertEquals("00000000000000aa", span.meta().get("_dd.p.tid"));
    }

    private static DecodedSpan byName(List<DecodedSpan> spans, String name) {
        return spans.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }
}
