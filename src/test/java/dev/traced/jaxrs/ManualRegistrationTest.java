package dev.traced.jaxrs;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.Tracer;
import dev.traced.TracerBuilder;
import dev.traced.TracingFeature;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import dev.traced.internal.jaxrs.ClientTracingFilter;
import dev.traced.internal.jaxrs.ResourceInvocationInterceptor;
import dev.traced.internal.trace.CoreTracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import org.jboss.resteasy.spi.ResteasyProviderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.traced.jaxrs.JaxRsTracingTest.awaitSpan;
import static dev.traced.jaxrs.JaxRsTracingTest.awaitSpans;
import static dev.traced.jaxrs.ShopResources.TRACES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registering the filters by hand, as a runtime that does not find them needs (Jersey without its
 * auto-discovery, CXF): a RESTEasy client built without the library's providers, as such a runtime's
 * client is, calling a real server on 127.0.0.1 from a CDI bean that injects its tracer.
 */
class ManualRegistrationTest {

    static EmbeddedServer server;

    @BeforeAll
    static void start() {
        System.setProperty("dd.service", "sandwich-shop");
        server = EmbeddedServer.start(ShopResources.ShopApplication.class,
                TracerHolder.class, TracedInterceptor.class, ResourceInvocationInterceptor.class,
                ShopResources.TracesProducer.class, ShopResources.Kitchen.class,
                ShopResources.SandwichResource.class, ShopResources.BreadResource.class,
                ShopResources.HealthResource.class, ShopResources.ProbeResource.class,
                ShopResources.MenuResource.class, Caller.class);
    }

    @AfterAll
    static void stop() {
        try {
            server.close();
        } finally {
            System.clearProperty("dd.service");
        }
    }

    @BeforeEach
    void clear() {
        TRACES.clear();
    }

    /** A bean that calls the server with a client it configures, inside a span of its own. */
    @ApplicationScoped
    public static class Caller {
        @Inject
        Tracer tracer;

        /** The injected tracer (read through a method: the bean is itself a client proxy). */
        Tracer tracer() {
            return tracer;
        }

        String call(Client client, URI uri) {
            try (Span ignored = tracer.trace("order.place")) {
                return client.target(uri).request().get(String.class);
            } finally {
                client.close();
            }
        }
    }

    /**
     * A RESTEasy client with its built-in providers but none of the library's: built while the
     * context class loader hides the library's {@code META-INF/services/jakarta.ws.rs.ext.Providers},
     * which is where RESTEasy's client finds them, and without the server's global provider factory,
     * from which it would copy them.
     */
    static synchronized Client clientWithoutTracing() {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        ResteasyProviderFactory global = ResteasyProviderFactory.peekInstance();
        thread.setContextClassLoader(WITHOUT_LIBRARY_PROVIDERS);
        try {
            if (global != null) {
                ResteasyProviderFactory.clearInstanceIfEqual(global);
            }
            return ClientBuilder.newClient();
        } finally {
            thread.setContextClassLoader(original);
            if (global != null) {
                ResteasyProviderFactory.setInstance(global);
            }
        }
    }

    private static final ClassLoader WITHOUT_LIBRARY_PROVIDERS = new ClassLoader(
            ManualRegistrationTest.class.getClassLoader()) {
        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> kept = new ArrayList<>();
            for (URL url : Collections.list(super.getResources(name))) {
                if (!(name.equals(PROVIDERS) && url.toString().contains("/target/classes/"))) {
                    kept.add(url);
                }
            }
            return Collections.enumeration(kept);
        }
    };
    private static final String PROVIDERS = "META-INF/services/jakarta.ws.rs.ext.Providers";

    private static Caller caller() {
        return server.weld().select(Caller.class).get();
    }

    @Test
    void theInjectedTracerIsAClientProxy() {
        // What makes the cases below worth testing: the injected tracer is not the tracer itself.
        Tracer injected = caller().tracer();
        assertNotNull(injected);
        assertFalse(injected instanceof CoreTracer, injected.getClass().getName());
    }

    @Test
    void clientWithoutTheLibraryRecordsNothing() {
        Caller caller = caller();
        assertEquals("rye bread", caller.call(clientWithoutTracing(), server.uri("/bread/rye")));
        FinishedSpan inner = awaitSpan("jax-rs.request", "GET /bread/{kind}");
        FinishedSpan order = awaitSpan("order.place", null);
        // No client span: the server request starts a trace of its own.
        assertFalse(inner.traceId().equals(order.traceId()));
    }

    @Test
    void filterGivenTheInjectedTracer() {
        Caller caller = caller();
        assertOneTraceThroughClientSpan(client -> client.register(new ClientTracingFilter(caller.tracer())));
    }

    @Test
    void featureGivenTheInjectedTracer() {
        Caller caller = caller();
        assertOneTraceThroughClientSpan(client -> client.register(new TracingFeature(caller.tracer())));
    }

    @Test
    void featureWithoutATracerUsesTheApplicationsTracer() {
        assertOneTraceThroughClientSpan(client -> client.register(TracingFeature.class));
    }

    @Test
    void featureGivenATracerFromTheBuilder() {
        InMemoryTraces own = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment().config("dd.service", "cli")
                .inMemory(own).build()) {
            Client client = clientWithoutTracing().register(new TracingFeature(tracer));
            String body;
            try (Span batch = tracer.trace("batch.run")) {
                body = client.target(server.uri("/bread/rye")).request().get(String.class);
            } finally {
                client.close();
            }
            assertEquals("rye bread", body);
            FinishedSpan inner = awaitSpan("jax-rs.request", "GET /bread/{kind}");
            List<List<FinishedSpan>> traces = own.awaitTraces(1, Duration.ofSeconds(5));
            FinishedSpan call = traces.get(0).stream().filter(s -> s.operationName().equals("http.request"))
                    .findFirst().orElseThrow();
            assertEquals("cli", call.service());
            assertEquals(call.traceId(), inner.traceId());
            assertEquals(call.spanId(), inner.parentId());
        }
    }

    @Test
    void registeringOnTopOfTheAutomaticRegistrationGivesOneSpan() {
        Caller caller = caller();
        // ClientBuilder.newClient(): RESTEasy registered the library's filter already.
        assertOneTraceThroughClientSpan(ClientBuilder::newClient, client -> client
                .register(TracingFeature.class)
                .register(new TracingFeature(caller.tracer()))
                .register(new ClientTracingFilter(caller.tracer())));
    }

    @Test
    void theSameFilterRegisteredTwiceGivesOneSpan() {
        Caller caller = caller();
        assertOneTraceThroughClientSpan(client -> client
                .register(new ClientTracingFilter(caller.tracer()))
                .register(new TracingFeature(caller.tracer()))
                .register(new ClientTracingFilter()));
    }

    @Test
    void aTracerThatIsNotTheLibrarysIsLoggedOnceAndNotUsed() {
        Tracer foreign = (Tracer) java.lang.reflect.Proxy.newProxyInstance(Tracer.class.getClassLoader(),
                new Class<?>[] {Tracer.class}, (proxy, method, args) -> null);
        List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.traced.internal.jaxrs.TracerLookup");
        logger.addHandler(handler);
        try {
            for (int i = 0; i < 2; i++) {
                Client client = clientWithoutTracing().register(new TracingFeature(foreign));
                assertEquals("rye bread", caller().call(client, server.uri("/bread/rye")));
            }
        } finally {
            logger.removeHandler(handler);
        }
        awaitSpans(span -> span.operationName().equals("jax-rs.request"), 2);
        assertEquals(0, TRACES.spans().stream().filter(s -> s.operationName().equals("http.request")).count());
        List<LogRecord> warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
        assertEquals(1, warnings.size(), records.toString());
        assertTrue(warnings.get(0).getMessage().contains(foreign.getClass().getName()), warnings.get(0).getMessage());
    }

    private static void assertOneTraceThroughClientSpan(Consumer<Client> registration) {
        assertOneTraceThroughClientSpan(ManualRegistrationTest::clientWithoutTracing, registration);
    }

    private static void assertOneTraceThroughClientSpan(java.util.function.Supplier<Client> clients,
                                                        Consumer<Client> registration) {
        Client client = clients.get();
        registration.accept(client);
        assertEquals("rye bread", caller().call(client, server.uri("/bread/rye")));

        FinishedSpan inner = awaitSpan("jax-rs.request", "GET /bread/{kind}");
        FinishedSpan order = awaitSpan("order.place", null);
        List<FinishedSpan> calls = awaitSpans(span -> span.operationName().equals("http.request"), 1);
        assertEquals(1, calls.size(), calls.toString());
        FinishedSpan call = calls.get(0);
        assertNotNull(call);
        assertEquals(order.traceId(), call.traceId());
        assertEquals(order.spanId(), call.parentId());
        assertEquals(call.traceId(), inner.traceId());
        assertEquals(call.spanId(), inner.parentId());
        assertEquals("client", call.tag("span.kind"));
        assertEquals("GET /bread/rye", call.resource());
        assertEquals(1, TRACES.spans().stream().filter(s -> s.operationName().equals("jax-rs.request")).count());
    }
}
