package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.traced.writer.WriterTestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleWriterTest {

    private final PrintStream original = System.out;

    @AfterEach
    void restore() {
        System.setOut(original);
    }

    @Test
    void printsEachTraceAsATreeFromTheWritersThread() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Set<String> printingThreads = ConcurrentHashMap.newKeySet();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8) {
            @Override
            public void write(byte[] buf, int off, int len) {
                printingThreads.add(Thread.currentThread().getName());
                super.write(buf, off, len);
            }
        });
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.trace.writer", "console").config("dd.service", "sandwich-shop")
                .config("dd.env", "dev").build()) {
            try (Span make = tracer.trace("sandwich.make")) {
                try (Span child = tracer.trace("get_ingredients", "resource_name")) {
                    child.setService("my-sandwich-making-svc");
                }
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
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertTrue(lines[0].startsWith("[traced] trace ") && lines[0].endsWith("(3 spans)"), text);
        assertTrue(lines[1].startsWith("  sandwich.make  service=sandwich-shop  resource=sandwich.make  duration="), text);
        assertTrue(lines[2].startsWith("      tags: env=dev"), text);
        assertTrue(text.contains("\n    get_ingredients  service=my-sandwich-making-svc  resource=resource_name"), text);
        assertTrue(text.contains("\n    assemble_sandwich  service=sandwich-shop  resource=assemble_sandwich  duration="), text);
        assertTrue(text.contains("  ERROR\n"), text);
        assertTrue(text.contains("error.message=Oops!"), text);
        assertTrue(text.contains("| java.lang.IllegalStateException: Oops!"), text);
        assertEquals(Set.of("traced-writer"), printingThreads, "printed by the writer's thread only");
    }
}
