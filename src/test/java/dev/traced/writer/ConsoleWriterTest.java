package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.TracerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.traced.writer.WriterTestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleWriterTest {

    private final PrintStream original = System.out;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Set<String> printingThreads = ConcurrentHashMap.newKeySet();

    @AfterEach
    void restore() {
        System.setOut(original);
    }

    private void captureOut() {
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8) {
            @Override
            public void write(byte[] buf, int off, int len) {
                printingThreads.add(Thread.currentThread().getName());
                super.write(buf, off, len);
            }
        });
    }

    private static CloseableTracer tracer(Map<String, String> extra) {
        return TracerBuilder.create().ignoreEnvironment()
                .config("dd.trace.writer", "console").config("dd.service", "sandwich-shop")
                .config("dd.env", "dev").config("dd.version", "1.0").config(extra).build();
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsEachTraceAsATreeFromTheWritersThread() {
        captureOut();
        try (CloseableTracer tracer = tracer(Map.of())) {
            tracer.setTags(Map.of("team", "lunch"));
            try (Span make = tracer.trace("sandwich.make")) {
                try (Span child = tracer.trace("get_ingredients", "resource_name")) {
                    child.setService("my-sandwich-making-svc");
                }
                make.setTag("num_ingredients", 4);
                make.setTag("bread", "rye");
                try {
                    tracer.run("assemble_sandwich", span -> {
                        throw new IllegalStateException("Oops!");
                    });
                } catch (IllegalStateException expected) {
                    // passes through
                }
            }
            assertTrue(tracer.flush(WAIT));
        }
        String text = printed();
        String[] lines = text.split("\n");
        assertTrue(lines[0].startsWith("[traced] trace ") && lines[0].endsWith(", 3 spans"), text);
        assertTrue(lines[1].startsWith("  sandwich.make  service=sandwich-shop  resource=sandwich.make  duration="), text);
        assertTrue(lines[1].matches(".*duration=\\d+\\.\\d{3} ms"), lines[1]);
        // The span's own tags first (strings, then numbers), then the global ones and env/version.
        assertTrue(lines[2].startsWith("      bread=rye, num_ingredients=4, "), text);
        assertEquals(Set.of("team=lunch", "env=dev", "version=1.0"),
                Set.of(lines[2].substring("      bread=rye, num_ingredients=4, ".length()).split(", ")), text);
        assertTrue(text.contains("\n    get_ingredients  service=my-sandwich-making-svc  resource=resource_name"), text);
        assertTrue(text.contains("\n    assemble_sandwich  service=sandwich-shop  resource=assemble_sandwich  duration="), text);
        assertTrue(text.contains("  ERROR\n"), text);
        assertTrue(text.contains("      error.message=Oops!, error.type=java.lang.IllegalStateException")
                || text.contains("      error.type=java.lang.IllegalStateException, error.message=Oops!"), text);
        assertTrue(text.contains("| java.lang.IllegalStateException: Oops!"), text);
        assertEquals(Set.of("traced-writer"), printingThreads, "printed by the writer's thread only");
    }

    @Test
    void internalTagsAreHiddenUnlessVerbose() {
        captureOut();
        try (CloseableTracer tracer = tracer(Map.of())) {
            tracer.run("sandwich.make", span -> span.setTag("bread", "rye"));
            assertTrue(tracer.flush(WAIT));
        }
        String quiet = printed();
        for (String internal : new String[] {"_dd.", "_sampling_priority_v1", "runtime-id", "process_id",
                "thread.name", "thread.id", "language"}) {
            assertFalse(quiet.contains(internal), internal + " in\n" + quiet);
        }
        assertTrue(quiet.contains("bread=rye"), quiet);

        bytes.reset();
        try (CloseableTracer tracer = tracer(Map.of("dd.trace.console.verbose", "true"))) {
            tracer.run("sandwich.make", span -> span.setTag("bread", "rye"));
            assertTrue(tracer.flush(WAIT));
        }
        String verbose = printed();
        for (String internal : new String[] {"_dd.p.tid=", "_sampling_priority_v1=", "runtime-id=", "process_id=",
                "thread.name=", "thread.id=", "language=jvm", "_dd.top_level="}) {
            assertTrue(verbose.contains(internal), internal + " missing in\n" + verbose);
        }
        assertTrue(verbose.indexOf("bread=rye") < verbose.indexOf("runtime-id="), "own tags still first: " + verbose);
    }

    @Test
    void chunksOfOneTracePrintAsOneTreeWithTheCalledServerUnderTheClientSpan() {
        captureOut();
        try (CloseableTracer tracer = tracer(Map.of())) {
            // A caller's Datadog headers, as the example sends them.
            Map<String, String> incoming = Map.of("x-datadog-trace-id", "1234567890123456789",
                    "x-datadog-parent-id", "987654321", "x-datadog-sampling-priority", "1");
            try (Span server = tracer.spanBuilder("jax-rs.request").parent(tracer.extract(incoming::get)).start()) {
                try (Span client = tracer.spanBuilder("http.request").start()) {
                    // The called resource of the same application: a local root continued from the
                    // client span's headers, finished (and handed to the writer) before the client span.
                    Map<String, String> outgoing = new HashMap<>();
                    tracer.inject(client.context(), outgoing::put);
                    SpanContext fromClient = tracer.extract(outgoing::get);
                    try (Span called = tracer.spanBuilder("bakery.request").parent(fromClient).start()) {
                        called.setTag("bread", "sourdough");
                    }
                }
                server.setTag("sandwich", "blt");
            }
            assertTrue(tracer.flush(WAIT));
        }
        String text = printed();
        String[] lines = text.split("\n");
        assertEquals(1, text.split("\\[traced] trace ", -1).length - 1, "one tree:\n" + text);
        assertTrue(lines[0].startsWith("[traced] trace 0000000000000000112210f47de98115 "
                + "(x-datadog-trace-id 1234567890123456789), 3 spans"), text);
        assertTrue(lines[1].startsWith("  jax-rs.request  "), text);
        assertTrue(text.contains("\n    http.request  "), text);
        assertTrue(text.contains("\n      bakery.request  "), "the called server nests under the client span:\n" + text);
    }
}
