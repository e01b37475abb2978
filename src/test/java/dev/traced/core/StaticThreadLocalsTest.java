package dev.traced.core;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.TracerBuilder;
import dev.traced.internal.trace.TracerThreadLocal;
import dev.traced.internal.trace.TracerThreadLocalTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A static thread-local whose value on a thread is a class of this library keeps the library's class
 * loader, and so a redeployed application's, reachable from every pooled container thread that ever
 * ran a traced request (the thread's map holds the value strongly; the value's class holds its loader,
 * which holds the static field). After the work every request does, each static thread-local of the
 * library holds nothing on the thread, or only JDK types.
 */
class StaticThreadLocalsTest {

    @Test
    void staticThreadLocalsHoldOnlyJdkTypesAfterARequestsWork() throws Exception {
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "test").config("dd.trace.writer", "none").build()) {
            Map<String, String> headers = new HashMap<>();
            headers.put("x-datadog-trace-id", "7298014646913713143");
            headers.put("x-datadog-parent-id", "5208512171318403364");
            headers.put("x-datadog-tags", "_dd.p.dm=-1,_dd.p.tid=9291375655657946");
            headers.put("traceparent", "00-92913756556579466547c1a7a2e3c3f7-48485a3953bb6124-01");
            headers.put("tracestate", "dd=s:1;p:48485a3953bb6124,rojo=00f067aa0ba902b7");
            headers.put("baggage", "user.id=alice");
            SpanContext parent = tracer.extract(headers::get);
            Span server = tracer.spanBuilder("server").parent(parent).start();
            Span client = tracer.trace("client");
            for (int call = 0; call < 2; call++) { // a trace's first call and a later one take different paths
                tracer.inject(client.context(), (name, value) -> { });
            }
            tracer.inject(parent, (name, value) -> { });
            client.finish();
            server.finish();
        }

        List<String> pinning = new ArrayList<>();
        int seen = 0;
        for (Class<?> type : libraryClasses()) {
            Field[] fields;
            try {
                fields = type.getDeclaredFields();
            } catch (LinkageError e) {
                continue; // an adapter for a logging backend that is not on this class path: it cannot run here
            }
            for (Field field : fields) {
                if (!Modifier.isStatic(field.getModifiers()) || !ThreadLocal.class.isAssignableFrom(field.getType())) {
                    continue;
                }
                seen++;
                field.setAccessible(true);
                Object value = ((ThreadLocal<?>) field.get(null)).get();
                if (value != null && !isJdkType(value.getClass())) {
                    pinning.add(type.getName() + "." + field.getName() + " holds a " + value.getClass().getName());
                }
            }
        }
        assertFalse(seen == 0, "no static thread-local found: the scan is broken");
        assertEquals(List.of(), pinning);
    }

    /**
     * The tracer's own thread-locals (the active-span stack, the reusable propagation objects) hold
     * classes of the library too: a pooled thread that ran traced work must let go of them when the
     * tracer closes (an undeploy), or it keeps the application's class loader.
     */
    @Test
    void theTracersThreadLocalsLetGoOfTheirValuesOnAPooledThreadWhenTheTracerCloses() throws Exception {
        CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "test").config("dd.trace.writer", "none").build();
        List<TracerThreadLocal<?>> locals = tracersThreadLocals(tracer);
        assertEquals(3, locals.size(), "the stack, the extraction pair and the injection context: " + locals);
        ExecutorService pooled = Executors.newSingleThreadExecutor(); // a container's request thread
        try {
            List<WeakReference<Object>> values = pooled.submit(() -> {
                SpanContext parent = tracer.extract(Map.of("x-datadog-trace-id", "7298014646913713143",
                        "x-datadog-parent-id", "5208512171318403364")::get);
                Span server = tracer.spanBuilder("server").parent(parent).start();
                Span client = tracer.trace("client");
                tracer.inject(client.context(), (name, value) -> { });
                client.finish();
                server.finish();
                List<WeakReference<Object>> held = new ArrayList<>();
                for (TracerThreadLocal<?> local : locals) {
                    Object value = local.get();
                    assertNotNull(value, "the work used " + local);
                    held.add(new WeakReference<>(value));
                }
                return held;
            }).get();

            tracer.close();

            for (WeakReference<Object> value : values) {
                assertTrue(TracerThreadLocalTest.collected(value), "the pooled thread still holds " + value.get());
            }
        } finally {
            pooled.shutdownNow();
        }
    }

    /** The thread-locals of the tracer and of the parts it holds. */
    private static List<TracerThreadLocal<?>> tracersThreadLocals(Object tracer) throws IllegalAccessException {
        List<TracerThreadLocal<?>> found = new ArrayList<>();
        for (Field field : tracer.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                continue;
            }
            field.setAccessible(true);
            Object part = field.get(tracer);
            if (part == null || !part.getClass().getName().startsWith("dev.traced.internal.")) {
                continue;
            }
            for (Field inner : part.getClass().getDeclaredFields()) {
                if (!Modifier.isStatic(inner.getModifiers()) && inner.getType() == TracerThreadLocal.class) {
                    inner.setAccessible(true);
                    found.add((TracerThreadLocal<?>) inner.get(part));
                }
            }
        }
        return found;
    }

    /** No plain instance thread-local: each would keep its values on pooled threads after the tracer closes. */
    @Test
    void theLibrarysInstanceThreadLocalsAreTracerThreadLocals() throws Exception {
        List<String> plain = new ArrayList<>();
        for (Class<?> type : libraryClasses()) {
            Field[] fields;
            try {
                fields = type.getDeclaredFields();
            } catch (LinkageError e) {
                continue;
            }
            for (Field field : fields) {
                if (!Modifier.isStatic(field.getModifiers()) && ThreadLocal.class.isAssignableFrom(field.getType())
                        && type != TracerThreadLocal.class) {
                    plain.add(type.getName() + "." + field.getName());
                }
            }
        }
        assertEquals(List.of(), plain);
    }

    private static boolean isJdkType(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    /** Every class of the library, from the compiled classes directory. */
    private static List<Class<?>> libraryClasses() throws IOException, ClassNotFoundException {
        Path root = Path.of("target", "classes");
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev"))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                try {
                    classes.add(Class.forName(name.substring(0, name.length() - ".class".length()), false,
                            StaticThreadLocalsTest.class.getClassLoader()));
                } catch (LinkageError e) {
                    // as below
                }
            }
        }
        return classes;
    }
}
