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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.traced.NoActiveSpan.assertNoActiveSpan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpanLifecycleTest {

    private final InMemoryTraces traces = new InMemoryTraces();
    private CloseableTracer tracer;

    @BeforeEach
    void setUp() {
        tracer = TracerBuilder.create().ignoreEnvironment().config("dd.service", "svc")
                .config("dd.trace.partial.flush.min.spans", "5").inMemory(traces).build();
    }

    @AfterEach
    void tearDown() {
        tracer.close();
    }

    @Test
    void idsAreHexOfTheRightLengthAndStartTimeIsNow() {
        long before = Instant.now().getEpochSecond();
        Span span = tracer.trace("op");
        SpanContext context = span.context();
        span.finish();
        assertTrue(context.traceId().matches("[0-9a-f]{32}"), context.traceId());
        assertTrue(context.spanId().matches("[0-9a-f]{16}"), context.spanId());
        assertNotEquals("0000000000000000", context.spanId());
        long highSeconds = Long.parseUnsignedLong(context.traceId().substring(0, 8), 16);
        assertTrue(highSeconds >= before && highSeconds <= before + 5, "upper bits carry the epoch seconds");
        long startSeconds = traces.spans().get(0).startEpochNanos() / 1_000_000_000L;
        assertTrue(Math.abs(startSeconds - before) <= 5);
    }

    @Test
    void spanIdsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            Span span = tracer.trace("op");
            ids.add(span.context().spanId());
            span.finish();
        }
        assertEquals(10_000, ids.size());
    }

    @Test
    void finishingOutOfOrderKeepsTheStackSound() {
        Span a = tracer.trace("a");
        Span b = tracer.trace("b");
        Span c = tracer.trace("c");
        b.finish();
        assertSame(c, tracer.currentSpan(), "finishing a span below the top leaves the top active");
        c.finish();
        assertSame(a, tracer.currentSpan(), "b was already finished, so a is active again");
        a.finish();
        assertNoActiveSpan(tracer.currentSpan());
        assertEquals(1, traces.traces().size());
        assertEquals(3, traces.traces().get(0).size());
    }

    @Test
    void setterAfterFinishIsIgnored() {
        Span span = tracer.trace("op");
        span.finish();
        span.setTag("late", "x").setResource("late").setError(true);
        FinishedSpan finished = traces.spans().get(0);
        assertNull(finished.meta().get("late"));
        assertEquals("op", finished.resource());
        assertEquals(false, finished.isError());
    }

    @Test
    void specialTagsChangeTheSpan() {
        try (Span span = tracer.trace("op")) {
            span.setTag("resource.name", "GET /x");
            span.setTag("service.name", "other");
            span.setTag("span.type", "web");
            span.setTag("error", true);
            span.setTag("http.status_code", 503);
        }
        FinishedSpan span = traces.spans().get(0);
        assertEquals("GET /x", span.resource());
        assertEquals("other", span.service());
        assertEquals("web", span.spanType());
        assertTrue(span.isError());
        assertEquals("503", span.meta().get("http.status_code"), "status codes are strings on the wire");
    }

    @Test
    void builderSettingsAndExplicitParents() {
        Span remoteLike = tracer.spanBuilder("outer").noParent().start();
        SpanContext parent = remoteLike.context();
        Span child = tracer.spanBuilder("child").parent(parent).service("s2").resource("r").spanType("sql")
                .tag("a", "b").tag("n", 7).tag("flag", false).measured().startInactive();
        assertSame(remoteLike, tracer.currentSpan(), "startInactive leaves the active span alone");
        child.finish();
        Span fresh = tracer.spanBuilder("fresh").noParent().start();
        assertNotEquals(parent.traceId(), fresh.context().traceId());
        fresh.finish();
        remoteLike.finish();
        FinishedSpan c = traces.span("child");
        assertEquals(parent.spanId(), c.parentId());
        assertEquals("s2", c.service());
        assertEquals("r", c.resource());
        assertEquals("sql", c.spanType());
        assertEquals("b", c.meta().get("a"));
        assertEquals("false", c.meta().get("flag"));
        assertEquals(7, c.metrics().get("n"));
        assertEquals(1, c.metrics().get("_dd.measured"));
    }

    @Test
    void foreignSpanContextContinuesItsTrace() {
        SpanContext foreign = new SpanContext() {
            @Override
            public String traceId() {
                return "0000000000000000000000000000abcd";
            }

            @Override
            public String spanId() {
                return "00000000000000ef";
            }
        };
        tracer.spanBuilder("continued").parent(foreign).start().finish();
        FinishedSpan span = traces.span("continued");
        assertEquals("0000000000000000000000000000abcd", span.traceId());
        assertEquals("00000000000000ef", span.parentId());
        assertEquals(1, span.metrics().get("_dd.top_level"), "a remote parent makes a top-level span");
    }

    @Test
    void malformedForeignContextStartsANewTrace() {
        SpanContext bad = new SpanContext() {
            @Override
            public String traceId() {
                return "not-hex";
            }

            @Override
            public String spanId() {
                throw new IllegalStateException("broken");
            }
        };
        tracer.spanBuilder("x").parent(bad).start().finish();
        assertEquals("0000000000000000", traces.span("x").parentId());
    }

    @Test
    void longTracesAreFlushedInParts() {
        try (Span root = tracer.trace("root")) {
            for (int i = 0; i < 12; i++) {
                tracer.trace("child").finish();
            }
            assertEquals(2, traces.traces().size(), "two partial chunks of 5 while the root is open");
        }
        List<List<FinishedSpan>> chunks = traces.traces();
        assertEquals(3, chunks.size());
        assertEquals(13, chunks.stream().mapToInt(List::size).sum());
        assertEquals("root", chunks.get(2).get(chunks.get(2).size() - 1).operationName());
    }

    @Test
    void spanFinishedOnAnotherThreadLeavesThisThreadClean() throws Exception {
        Span span = tracer.trace("async.work");
        CompletableFuture.runAsync(span::finish).get();
        assertNoActiveSpan(tracer.currentSpan(), "a span finished elsewhere is no longer active here");
        assertEquals(1, traces.traces().size());
    }

    @Test
    void aSecondFinishChangesNothing() {
        Span root = tracer.trace("root");
        Span child = tracer.trace("child");
        child.finish();
        FinishedSpan finished = (FinishedSpan) child;
        long duration = finished.durationNanos();
        child.finish();
        assertSame(root, tracer.currentSpan(), "a second finish pops nothing");
        root.finish();
        root.finish();
        assertEquals(duration, finished.durationNanos(), "the first finish's duration stays");
        assertEquals(1, traces.traces().size(), "the trace is written once");
        assertEquals(2, traces.traces().get(0).size(), "each span once");
    }

    @Test
    void aSpanFinishedByManyThreadsAtOnceIsWrittenOnce() throws Exception {
        // The finished flag is set under the trace's lock (no compare-and-set of its own): racing
        // finishes must still count the span once, and complete the trace exactly once.
        int rounds = 200;
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                Span root = tracer.spanBuilder("root").noParent().startInactive();
                Span child = tracer.spanBuilder("child").parent(root.context()).startInactive();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> finishes = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Span target = t % 2 == 0 ? child : root;
                    finishes.add(pool.submit(() -> {
                        go.await();
                        target.finish();
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> finish : finishes) {
                    finish.get(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<List<FinishedSpan>> written = traces.traces();
        assertEquals(rounds, written.size(), "each trace written once");
        for (List<FinishedSpan> trace : written) {
            assertEquals(2, trace.size(), "root and child, each once: " + trace);
        }
    }

    @Test
    void childrenStartedAndFinishedOnManyThreadsAtOnceAreEachWrittenOnce() throws Exception {
        // The trace's lock is a compare-and-set with a spin (not a monitor): threads that start and
        // finish children of one trace, and change its baggage and priority, all at once, must leave
        // every span written exactly once (in partial chunks: this tracer flushes every 5 spans).
        int threads = 4;
        int children = 2_000;
        Span root = tracer.spanBuilder("root").noParent().startInactive();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<String> started = ConcurrentHashMap.newKeySet();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < children; i++) {
                        Span child = tracer.spanBuilder("child").parent(root.context()).startInactive();
                        started.add(child.context().spanId());
                        if (i % 100 == 0) {
                            root.setBaggageItem("k" + thread, Integer.toString(i));
                            root.setTag("manual.keep", true);
                        }
                        child.finish();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : work) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        started.add(root.context().spanId());
        root.finish();
        Map<String, Integer> written = new HashMap<>();
        for (List<FinishedSpan> chunk : traces.traces()) {
            for (FinishedSpan span : chunk) {
                written.merge(span.spanId(), 1, Integer::sum);
            }
        }
        assertEquals(threads * children + 1, started.size());
        assertEquals(started, written.keySet(), "every span written");
        assertTrue(written.values().stream().allMatch(count -> count == 1), "each span once");
        assertEquals(threads, root.baggage().size());
    }

    @Test
    void wrappedTasksRunWithTheCallersSpan() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Span parent = tracer.trace("parent");
            Runnable child = tracer.wrap(() -> tracer.trace("in.pool").finish());
            pool.submit(child).get();
            assertEquals(parent, pool.submit(tracer.wrap(() -> tracer.currentSpan())).get());
            assertNoActiveSpan(pool.submit(() -> tracer.currentSpan()).get(), "nothing leaks onto the pooled thread");
            parent.finish();
            assertEquals(parent.context().spanId(), traces.span("in.pool").parentId());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void outsideAnySpanTheCurrentSpansAreTheNoOpSpan() {
        tracer.currentRootSpan().setTag("lost", "nowhere").setError(new IllegalStateException("no span"));
        tracer.currentSpan().setTag("lost", 1);
        assertNoActiveSpan(tracer.currentSpan());
        assertNoActiveSpan(tracer.currentRootSpan());
        Map<String, String> headers = new HashMap<>();
        tracer.inject(tracer.currentSpan().context(), headers::put);
        assertEquals(Map.of(), headers, "the no-op span's context is never sent");
        try (Span child = tracer.spanBuilder("child").parent(tracer.currentSpan().context()).start()) {
            assertTrue(child.isRecording());
            assertNotEquals("00000000000000000000000000000000", child.context().traceId(),
                    "as a parent, the no-op span starts a new trace");
        }
        assertEquals(1, traces.traces().size(), "only the child was recorded");
    }

    @Test
    void aFinishedSpanIsNoLongerRecording() {
        Span span = tracer.trace("short");
        assertTrue(span.isRecording());
        span.finish();
        assertFalse(span.isRecording());
    }

    @Test
    void disabledTracerIsANoOpThatStillRunsBodies() throws Exception {
        InMemoryTraces none = new InMemoryTraces();
        try (CloseableTracer disabled = TracerBuilder.create().ignoreEnvironment()
                .config("dd.trace.enabled", "false").inMemory(none).build()) {
            assertEquals("ran", disabled.call("x", span -> "ran"));
            try (Span span = disabled.trace("y")) {
                span.setTag("k", "v");
                assertNoActiveSpan(disabled.currentSpan());
            }
            assertTrue(disabled.flush(Duration.ofSeconds(1)));
        }
        assertTrue(none.traces().isEmpty());
    }

    @Test
    void disabledTracerPassesExceptionsThrough() {
        try (CloseableTracer disabled = TracerBuilder.create().ignoreEnvironment()
                .config("dd.trace.enabled", "false").build()) {
            RuntimeException boom = new RuntimeException("boom");
            RuntimeException thrown = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> disabled.run("x", span -> {
                        throw boom;
                    }));
            assertSame(boom, thrown);
        }
    }

    @Test
    void hostileUserExceptionStillPassesThrough() {
        RuntimeException hostile = new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("getMessage fails");
            }
        };
        RuntimeException thrown = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> tracer.run("x", span -> {
                    throw hostile;
                }));
        assertSame(hostile, thrown);
        assertTrue(traces.span("x").isError());
    }
}
