package dev.traced.core;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.traced.NoActiveSpan.assertNoActiveSpan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example of the Python custom-instrumentation page, translated to the Java API. */
class SeedExamplesTest {

    private final InMemoryTraces traces = new InMemoryTraces();
    private CloseableTracer tracer;

    @BeforeEach
    void setUp() {
        tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "sandwich-shop").config("dd.env", "test").config("dd.version", "1.2.3")
                .inMemory(traces).build();
    }

    @AfterEach
    void tearDown() {
        tracer.close();
    }

    private List<FinishedSpan> onlyTrace() {
        List<List<FinishedSpan>> all = traces.awaitTraces(1, Duration.ofSeconds(5));
        assertEquals(1, all.size(), "one trace");
        return all.get(0);
    }

    /** {@code with tracer.trace("sandwich.make"):} */
    @Test
    void contextManager() {
        try (Span span = tracer.trace("sandwich.make")) {
            assertSame(span, tracer.currentSpan());
        }
        FinishedSpan span = onlyTrace().get(0);
        assertEquals("sandwich.make", span.operationName());
        assertEquals("sandwich.make", span.resource(), "resource defaults to the operation name");
        assertEquals("sandwich-shop", span.service());
        assertEquals("0000000000000000", span.parentId());
        assertNoActiveSpan(tracer.currentSpan());
    }

    /** Nested {@code with tracer.trace(..., resource=...)} blocks. */
    @Test
    void nestedContextManagers() {
        try (Span outer = tracer.trace("sandwich.create", "resource_name")) {
            try (Span span = tracer.trace("get_ingredients", "resource_name")) {
                assertEquals(outer.context().traceId(), span.context().traceId());
            }
            try (Span span = tracer.trace("assemble_sandwich", "resource_name")) {
                assertSame(span, tracer.currentSpan());
            }
            assertSame(outer, tracer.currentSpan());
        }
        List<FinishedSpan> trace = onlyTrace();
        assertEquals(List.of("get_ingredients", "assemble_sandwich", "sandwich.create"),
                trace.stream().map(FinishedSpan::operationName).toList());
        FinishedSpan root = traces.span("sandwich.create");
        for (FinishedSpan child : trace.subList(0, 2)) {
            assertEquals(root.spanId(), child.parentId());
            assertEquals(root.traceId(), child.traceId());
            assertEquals("resource_name", child.resource());
        }
    }

    /** {@code span = tracer.trace(...); ...; span.finish()} */
    @Test
    void manualFinish() {
        Span span = tracer.trace("sandwich.create", "resource_name");
        assertTrue(traces.traces().isEmpty(), "nothing is written before the span finishes");
        span.finish();
        span.finish();
        assertEquals(1, onlyTrace().size(), "finish is idempotent");
        assertTrue(onlyTrace().get(0).durationNanos() >= 0);
    }

    /** {@code tracer.current_span()} and {@code tracer.current_root_span()} */
    @Test
    void currentAndRootSpan() {
        try (Span mySpan = tracer.trace("sandwich.make")) {
            assertSame(mySpan, tracer.currentSpan(), "get_ingredients sees my_span");
            try (Span another = tracer.trace("another.operation")) {
                assertSame(another, tracer.currentSpan());
                assertSame(mySpan, tracer.currentRootSpan(), "assemble_sandwich's root span is my_span");
            }
        }
        assertNoActiveSpan(tracer.currentSpan());
        assertNoActiveSpan(tracer.currentRootSpan());
    }

    /** {@code span.set_tag("num_ingredients", len(ingredients))} */
    @Test
    void localTags() {
        try (Span span = tracer.trace("sandwich.make")) {
            span.setTag("num_ingredients", 3);
            span.setTag("bread", "rye");
            span.setTag("toasted", true);
            span.setTag("weight", 1.5);
        }
        FinishedSpan span = onlyTrace().get(0);
        assertEquals(3, span.metrics().get("num_ingredients"));
        assertEquals(1.5, span.metrics().get("weight"));
        assertEquals("rye", span.meta().get("bread"));
        assertEquals("true", span.meta().get("toasted"));
        assertFalse(span.meta().containsKey("num_ingredients"));
    }

    /** {@code tracer.set_tags({"version": __version__, "<TAG_KEY_2>": "<TAG_VALUE_2>"})} */
    @Test
    void globalTags() {
        tracer.trace("before").finish();
        tracer.setTags(Map.of("app.version", "9.9", "team", "lunch", "shift", 2));
        tracer.trace("after").finish();
        FinishedSpan before = traces.span("before");
        FinishedSpan after = traces.span("after");
        assertNull(before.meta().get("team"), "global tags apply to spans started afterwards");
        assertEquals("lunch", after.meta().get("team"));
        assertEquals("9.9", after.meta().get("app.version"));
        assertEquals(2, after.metrics().get("shift"));
        assertEquals("test", after.meta().get("env"));
    }

    /** {@code with tracer.trace("throws.an.error"): raise Exception("Oops!")} */
    @Test
    void exceptionLeavingSpanMarksIt() {
        IllegalStateException oops = new IllegalStateException("Oops!");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> tracer.run("throws.an.error", span -> {
                    throw oops;
                }));
        assertSame(oops, thrown, "the same instance passes through");
        FinishedSpan span = onlyTrace().get(0);
        assertTrue(span.isError());
        assertEquals("java.lang.IllegalStateException", span.meta().get("error.type"));
        assertEquals("Oops!", span.meta().get("error.message"));
        assertTrue(span.meta().get("error.stack").startsWith("java.lang.IllegalStateException: Oops!"));
    }

    /** Checked exceptions pass through {@code call} unchanged too. */
    @Test
    void checkedExceptionFromCall() {
        java.io.IOException io = new java.io.IOException("disk");
        java.io.IOException thrown = assertThrows(java.io.IOException.class,
                () -> tracer.call("io", span -> {
                    throw io;
                }));
        assertSame(io, thrown);
        assertEquals("java.io.IOException", onlyTrace().get(0).meta().get("error.type"));
        assertEquals(42, (int) tracer.call("value", span -> 42));
    }

    /** {@code span = tracer.trace("operation"); span.error = 1; span.finish()} */
    @Test
    void manualErrorFlag() {
        Span span = tracer.trace("operation");
        span.setError(true);
        span.finish();
        FinishedSpan finished = onlyTrace().get(0);
        assertTrue(finished.isError());
        assertNull(finished.meta().get("error.type"));
    }

    /** {@code root_span = tracer.current_root_span(); root_span.set_exc_info(...)} */
    @Test
    void errorOnLocalRoot() {
        try (Span root = tracer.trace("sandwich.make")) {
            try (Span child = tracer.trace("child")) {
                try {
                    throw new TypeNotPresentException("Bread", null);
                } catch (TypeNotPresentException e) {
                    tracer.currentRootSpan().setError(e);
                }
            }
        }
        assertTrue(traces.span("sandwich.make").isError());
        assertFalse(traces.span("child").isError());
        assertEquals("java.lang.TypeNotPresentException", traces.span("sandwich.make").meta().get("error.type"));
    }

    @Test
    void tracerTagsOnSpans() {
        try (Span root = tracer.trace("sandwich.make")) {
            tracer.spanBuilder("pantry").service("pantry-svc").start().finish();
        }
        FinishedSpan root = traces.span("sandwich.make");
        FinishedSpan pantry = traces.span("pantry");
        assertEquals("jvm", root.meta().get("language"));
        assertNotNull(root.meta().get("runtime-id"));
        assertEquals(ProcessHandle.current().pid(), root.metrics().get("process_id"));
        assertEquals("1.2.3", root.meta().get("version"));
        assertEquals(1, root.metrics().get("_dd.top_level"));
        assertEquals(1, root.metrics().get("_sampling_priority_v1"));
        assertEquals("-1", root.meta().get("_dd.p.dm"));
        assertEquals(Thread.currentThread().getName(), root.meta().get("thread.name"));
        assertEquals("sandwich-shop", pantry.meta().get("_dd.base_service"));
        assertNull(pantry.meta().get("version"), "version only on spans of the main service");
        assertEquals(1, pantry.metrics().get("_dd.top_level"), "a service change makes a top-level span");
        assertNull(pantry.meta().get("language"), "language only on the local root");
    }
}
