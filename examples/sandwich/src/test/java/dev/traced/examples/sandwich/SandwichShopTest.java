package dev.traced.examples.sandwich;

import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the example's requests against the shop and checks the traces they leave. */
class SandwichShopTest {

    static final InMemoryTraces TRACES = new InMemoryTraces();

    /** The tracer records into memory when the application produces an InMemoryTraces bean. */
    @ApplicationScoped
    public static class TracesProducer {
        @Produces
        @ApplicationScoped
        InMemoryTraces traces() {
            return TRACES;
        }
    }

    @Test
    void theExampleFlowLeavesTheExpectedTraces() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setProperty("dd.service", "sandwich-shop");
        try (ShopServer shop = ShopServer.start(TracesProducer.class)) {
            Main.sendRequests(shop, new PrintStream(printed, true, StandardCharsets.UTF_8));
            // Three orders: each is a server span, a client call and the bakery's server span.
            awaitSpans(s -> s.operationName().equals("jax-rs.request"), 5);
        } finally {
            System.clearProperty("dd.service");
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("/sandwiches/blt") && output.contains("-> 200"), output);
        assertTrue(output.contains("/sandwiches/unicorn") && output.contains("-> 500"), output);

        // The request with Datadog headers continues the caller's trace.
        FinishedSpan blt = server("/sandwiches/blt");
        assertEquals(String.format("%032x", Long.parseLong(Main.UPSTREAM_TRACE_ID)), blt.traceId());
        assertEquals(String.format("%016x", Long.parseLong(Main.UPSTREAM_PARENT_ID)), blt.parentId());
        assertEquals("GET /sandwiches/{name}", blt.resource());
        assertEquals("lunch", blt.tag("team"));
        assertEquals("4", blt.tag("sandwich.layers"));

        // The decorated beans, the manual span and the client call are in the same trace.
        List<FinishedSpan> trace = trace(blt.traceId());
        FinishedSpan make = only(trace, "sandwich.make");
        assertEquals(blt.spanId(), make.parentId());
        assertEquals("4", make.tag("num_ingredients"));
        FinishedSpan ingredients = only(trace, "Pantry.getIngredients");
        assertEquals("my-sandwich-making-svc", ingredients.service());
        assertEquals("resource_name", ingredients.resource());
        assertEquals(make.spanId(), ingredients.parentId());
        FinishedSpan assemble = only(trace, "assemble_sandwich");
        assertEquals(assemble.spanId(), only(trace, "another.operation").parentId());
        FinishedSpan call = only(trace, "http.request");
        assertEquals(blt.spanId(), call.parentId());
        FinishedSpan bakery = only(trace, "jax-rs.request", "GET /bakery/bread/{kind}");
        assertEquals(call.spanId(), bakery.parentId());

        // The failed order: an error, with the exception the pantry threw.
        FinishedSpan unicorn = server("/sandwiches/unicorn");
        assertTrue(unicorn.isError());
        assertEquals("500", unicorn.tag("http.status_code"));
        assertEquals(IllegalStateException.class.getName(), unicorn.tag("error.type"));

        // The health check left nothing.
        for (FinishedSpan span : TRACES.spans()) {
            assertFalse(String.valueOf(span.tag("http.url")).endsWith("/health"), span.resource());
        }
    }

    private static FinishedSpan server(String path) {
        return awaitSpans(s -> s.operationName().equals("jax-rs.request")
                && String.valueOf(s.tag("http.url")).endsWith(path), 1).get(0);
    }

    private static List<FinishedSpan> trace(String traceId) {
        List<FinishedSpan> spans = new ArrayList<>();
        for (FinishedSpan span : TRACES.spans()) {
            if (span.traceId().equals(traceId)) {
                spans.add(span);
            }
        }
        return spans;
    }

    private static FinishedSpan only(List<FinishedSpan> trace, String operation) {
        return only(trace, operation, null);
    }

    private static FinishedSpan only(List<FinishedSpan> trace, String operation, String resource) {
        List<FinishedSpan> found = new ArrayList<>();
        for (FinishedSpan span : trace) {
            if (span.operationName().equals(operation) && (resource == null || resource.equals(span.resource()))) {
                found.add(span);
            }
        }
        assertEquals(1, found.size(), operation + " in " + trace);
        return found.get(0);
    }

    private static List<FinishedSpan> awaitSpans(Predicate<FinishedSpan> filter, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<FinishedSpan> found = new ArrayList<>();
            for (FinishedSpan span : TRACES.spans()) {
                if (filter.test(span)) {
                    found.add(span);
                }
            }
            if (found.size() >= count || System.nanoTime() > deadline) {
                assertTrue(found.size() >= count, "expected " + count + " spans, got " + TRACES.spans());
                return found;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
