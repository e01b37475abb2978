package dev.traced.internal.context;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.traced.NoActiveSpan.assertNoActiveSpan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A span started on one thread continues on another, and is gone from that thread afterwards. */
class ContextPropagationTest {

    private final InMemoryTraces traces = new InMemoryTraces();
    private CloseableTracer tracer;
    private ExecutorService pool;

    @BeforeEach
    void start() {
        tracer = TracerBuilder.create().ignoreEnvironment().config("dd.service", "shop").inMemory(traces).build();
        pool = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        tracer.close();
    }

    private <T> T onPool(Callable<T> task) throws Exception {
        return pool.submit(task).get(10, TimeUnit.SECONDS);
    }

    @Test
    void wrappedTasksRunWithTheCallersSpanWhichIsGoneAfter() throws Exception {
        try (Span root = tracer.trace("root")) {
            assertSame(root, onPool(tracer.wrap(() -> tracer.currentSpan())));
            AtomicReference<Span> seen = new AtomicReference<>();
            pool.submit(tracer.wrap(() -> seen.set(tracer.currentSpan()))).get(10, TimeUnit.SECONDS);
            assertSame(root, seen.get());
            AtomicReference<Span> viaExecutor = new AtomicReference<>();
            Runnable record = () -> viaExecutor.set(tracer.currentSpan());
            tracer.wrap(pool).execute(record);
            onPool(() -> null);
            assertSame(root, viaExecutor.get());
        }
        assertNoActiveSpan(onPool(() -> tracer.currentSpan()), "nothing stays active on the worker");
    }

    @Test
    void aChildStartedAfterTheHopBelongsToTheCallersTrace() throws Exception {
        try (Span root = tracer.trace("root")) {
            onPool(tracer.wrap(() -> {
                tracer.run("child", span -> { });
                return null;
            }));
        }
        FinishedSpan root = traces.span("root");
        FinishedSpan child = traces.span("child");
        assertEquals(root.traceId(), child.traceId());
        assertEquals(root.spanId(), child.parentId());
    }

    @Test
    void aTaskThatRunsAfterTheSpanFinishedStillJoinsItsTrace() throws Exception {
        Runnable task;
        try (Span root = tracer.trace("root")) {
            task = tracer.wrap(() -> tracer.run("late.child", span -> { }));
        }
        pool.submit(task).get(10, TimeUnit.SECONDS);
        traces.awaitTraces(2, Duration.ofSeconds(5));
        FinishedSpan root = traces.span("root");
        FinishedSpan late = traces.span("late.child");
        assertEquals(root.traceId(), late.traceId());
        assertEquals(root.spanId(), late.parentId());
        assertNoActiveSpan(onPool(() -> tracer.currentSpan()));
    }

    @Test
    void aManagedExecutorPropagatesTheActiveSpanWithoutWrapping() throws Exception {
        ManagedExecutor executor = ManagedExecutor.builder().maxAsync(1).build();
        try {
            try (Span root = tracer.trace("root")) {
                Span seen = executor.supplyAsync(() -> tracer.currentSpan()).get(10, TimeUnit.SECONDS);
                assertSame(root, seen);
                executor.runAsync(() -> tracer.run("async.child", span -> { })).get(10, TimeUnit.SECONDS);
            }
            assertNoActiveSpan(executor.supplyAsync(() -> tracer.currentSpan()).get(10, TimeUnit.SECONDS),
                    "submitted with no active span: none on the worker");
        } finally {
            executor.shutdownNow();
        }
        traces.awaitTraces(1, Duration.ofSeconds(5));
        assertEquals(traces.span("root").spanId(), traces.span("async.child").parentId());
    }

    @Test
    void aClearedContextHidesTheRunnersSpanAndGivesItBack() throws Exception {
        ThreadContext cleared = ThreadContext.builder().propagated().cleared(MicroProfileContextProvider.TYPE)
                .unchanged(ThreadContext.ALL_REMAINING).build();
        ThreadContext propagated = ThreadContext.builder().propagated(MicroProfileContextProvider.TYPE)
                .cleared().unchanged(ThreadContext.ALL_REMAINING).build();
        Callable<Span> current = () -> tracer.currentSpan();
        Callable<Span> capturedWithRoot;
        Span root = tracer.trace("root");
        try {
            capturedWithRoot = propagated.contextualCallable(current);
            assertNoActiveSpan(cleared.contextualCallable(current).call());
            assertSame(root, tracer.currentSpan(), "the runner's span is back");
        } finally {
            root.finish();
        }
        try (Span other = tracer.trace("other")) {
            assertSame(root, capturedWithRoot.call());
            assertSame(other, tracer.currentSpan());
        }
    }

    @Test
    void theJakartaConcurrencyProviderIsFoundAndPropagates() throws Exception {
        jakarta.enterprise.concurrent.spi.ThreadContextProvider provider = null;
        for (jakarta.enterprise.concurrent.spi.ThreadContextProvider found
                : ServiceLoader.load(jakarta.enterprise.concurrent.spi.ThreadContextProvider.class)) {
            if (found instanceof JakartaContextProvider) {
                provider = found;
            }
        }
        assertTrue(provider != null, "registered for ServiceLoader");
        assertEquals("Traced", provider.getThreadContextType());
        jakarta.enterprise.concurrent.spi.ThreadContextSnapshot snapshot;
        Span root = tracer.trace("root");
        try {
            snapshot = provider.currentContext(java.util.Map.of());
        } finally {
            root.finish();
        }
        jakarta.enterprise.concurrent.spi.ThreadContextSnapshot finalSnapshot = snapshot;
        Span[] seen = onPool(() -> {
            var restorer = finalSnapshot.begin();
            Span during = tracer.currentSpan();
            restorer.endContext();
            return new Span[] {during, tracer.currentSpan()};
        });
        assertSame(root, seen[0]);
        assertNoActiveSpan(seen[1]);
    }
}
