package dev.traced.internal.trace;

import dev.traced.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Several applications sharing the library (one WildFly module, many deployments). */
class ApplicationTracerTest {

    private final ClassLoader first = new URLClassLoader("first-deployment", new URL[0], null);
    private final ClassLoader second = new URLClassLoader("second-deployment", new URL[0], null);
    private final Tracer firstTracer = tracer();
    private final Tracer secondTracer = tracer();

    @AfterEach
    void unregister() {
        ApplicationTracer.unregister(firstTracer);
        ApplicationTracer.unregister(secondTracer);
    }

    @Test
    void eachApplicationFindsItsOwnTracerOnItsThreads() throws Exception {
        on(first, () -> register(firstTracer));
        on(second, () -> register(secondTracer));

        assertSame(firstTracer, on(first, ApplicationTracer::get));
        assertSame(secondTracer, on(second, ApplicationTracer::get));
        assertNull(ApplicationTracer.sole(), "two applications: no sole tracer to fall back on");
    }

    @Test
    void anApplicationWithoutATracerYetDoesNotGetAnotherOne() throws Exception {
        on(first, () -> register(firstTracer));

        assertNull(on(second, ApplicationTracer::get));
        assertSame(firstTracer, ApplicationTracer.sole());
    }

    @Test
    void unregisteringLeavesTheOtherApplicationAlone() throws Exception {
        on(first, () -> register(firstTracer));
        on(second, () -> register(secondTracer));

        ApplicationTracer.unregister(firstTracer);

        assertNull(on(first, ApplicationTracer::get));
        assertSame(secondTracer, on(second, ApplicationTracer::get));
        assertSame(secondTracer, ApplicationTracer.sole());
    }

    private static Tracer register(Tracer tracer) {
        ApplicationTracer.register(tracer);
        return tracer;
    }

    /** Runs the call with this context class loader, as a deployment's request thread would. */
    private static <T> T on(ClassLoader loader, Callable<T> call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** A distinct Tracer object; no method is called on it. */
    private static Tracer tracer() {
        return (Tracer) Proxy.newProxyInstance(Tracer.class.getClassLoader(), new Class<?>[]{Tracer.class},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
