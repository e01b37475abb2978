package dev.traced;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trace processors change and drop traces before they are sent; service mapping renames services. */
class TraceProcessorTest {

    private static InMemoryTraces run(Consumer<TracerBuilder> setup, Consumer<Tracer> body) {
        InMemoryTraces traces = new InMemoryTraces();
        TracerBuilder builder = TracerBuilder.create().ignoreEnvironment().config("dd.service", "shop")
                .config("dd.env", "prod").inMemory(traces);
        setup.accept(builder);
        try (CloseableTracer tracer = builder.build()) {
            body.accept(tracer);
        }
        return traces;
    }

    private static void rootAndChild(Tracer tracer) {
        try (Span root = tracer.trace("web.request", "GET /health")) {
            root.setTag("secret", "s3cr3t");
            tracer.trace("db.query").finish();
        }
    }

    @Test
    void aProcessorChangesTagsNamesAndErrors() {
        InMemoryTraces traces = run(b -> b.processor(trace -> {
            for (MutableSpan span : trace) {
                span.setTag("secret", (String) null).setTag("team", "checkout").setTag("weight", 3);
                if (span.isLocalRoot()) {
                    span.setResource("GET /healthz").setError(true).setTag("env", "override");
                } else {
                    span.setService("db").setOperationName("sql.query").setSpanType("sql");
                }
            }
            return trace;
        }), TraceProcessorTest::rootAndChild);
        FinishedSpan root = traces.span("web.request");
        assertNull(root.meta().get("secret"));
        assertEquals("checkout", root.meta().get("team"));
        assertEquals(3, root.metrics().get("weight"));
        assertEquals("GET /healthz", root.resource());
        assertTrue(root.isError());
        assertEquals("override", root.meta().get("env"), "a processor's tag wins over the tracer's");
        FinishedSpan child = traces.span("sql.query");
        assertEquals("db", child.service());
        assertEquals("sql", child.spanType());
        assertEquals("shop", child.meta().get("_dd.base_service"));
    }

    @Test
    void anEmptyListOrNullDropsTheTraceAndASubsetKeepsSomeSpans() {
        InMemoryTraces dropped = run(b -> b.processor(trace -> List.of()), TraceProcessorTest::rootAndChild);
        assertTrue(dropped.traces().isEmpty());
        InMemoryTraces nulled = run(b -> b.processor(trace -> null), TraceProcessorTest::rootAndChild);
        assertTrue(nulled.traces().isEmpty());

        InMemoryTraces subset = run(b -> b.processor(trace -> trace.stream()
                .filter(MutableSpan::isLocalRoot).toList()), TraceProcessorTest::rootAndChild);
        assertEquals(1, subset.spans().size());
        assertEquals("web.request", subset.spans().get(0).operationName());
    }

    @Test
    void aFailingProcessorLeavesTheTraceAsItWasAndTheNextOneRuns() {
        List<String> seen = new ArrayList<>();
        InMemoryTraces traces = run(b -> b
                .processor(trace -> {
                    throw new IllegalStateException("processor bug");
                })
                .processor(trace -> {
                    trace.add(null); // the list is read-only: this throws too
                    return trace;
                })
                .processor(trace -> {
                    seen.add("third");
                    return trace;
                }), TraceProcessorTest::rootAndChild);
        assertEquals(List.of("third"), seen);
        assertEquals(2, traces.spans().size());
        assertEquals("s3cr3t", traces.span("web.request").meta().get("secret"));
    }

    @Test
    void spansNotFromTheTraceAreIgnored() {
        List<MutableSpan> stolen = new ArrayList<>();
        InMemoryTraces traces = run(b -> b.processor(trace -> {
            if (stolen.isEmpty()) {
                stolen.addAll(trace);
                return trace;
            }
            List<MutableSpan> mixed = new ArrayList<>(stolen);
            mixed.add(trace.get(0));
            mixed.add(trace.get(0));
            return mixed;
        }), tracer -> {
            tracer.trace("first").finish();
            tracer.trace("second").finish();
        });
        assertEquals(2, traces.traces().size());
        assertEquals(1, traces.traces().get(1).size());
        assertEquals("second", traces.traces().get(1).get(0).operationName());
    }

    @Test
    void processorsListedForServiceLoaderRun() {
        InMemoryTraces traces = run(b -> { }, tracer -> {
            try (Span span = tracer.trace("marked")) {
                span.setTag("test.service-loader", true);
            }
        });
        assertEquals("yes", traces.span("marked").meta().get("service.loader.saw"));
    }

    @Test
    void serviceMappingRenamesEveryWayAServiceIsSet() {
        InMemoryTraces traces = run(b -> b.config("dd.service.mapping", "shop:storefront, db:postgres"), tracer -> {
            try (Span root = tracer.trace("web.request")) {
                tracer.spanBuilder("by.builder").service("db").start().finish();
                tracer.trace("by.setter").setService("db").finish();
                Span byTag = tracer.trace("by.tag");
                byTag.setTag("service.name", "db");
                byTag.finish();
                tracer.spanBuilder("unmapped").service("cache").start().finish();
            }
        });
        assertEquals("storefront", traces.span("web.request").service());
        assertEquals("postgres", traces.span("by.builder").service());
        assertEquals("postgres", traces.span("by.setter").service());
        assertEquals("postgres", traces.span("by.tag").service());
        assertEquals("cache", traces.span("unmapped").service());
        assertFalse(traces.spans().stream().anyMatch(s -> s.service().equals("db")));
    }
}
