package dev.traced.jaxrs;

import dev.traced.DoNotTrace;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The test application: a sandwich shop with the cases the JAX-RS filters must handle. */
final class ShopResources {

    static final InMemoryTraces TRACES = new InMemoryTraces();
    /** What resource methods saw as the active span: key -> operation name ("none" when none). */
    static final ConcurrentHashMap<String, String> SEEN_ACTIVE = new ConcurrentHashMap<>();

    /** A port that was free a moment ago, so connecting to it is refused. */
    static final int CLOSED_PORT = closedPort();

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ShopResources() {
    }

    static String activeName(Tracer tracer) {
        Span span = tracer.currentSpan();
        return span instanceof dev.traced.FinishedSpan active ? active.operationName() : "none";
    }

    public static class ShopApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(SandwichResource.class, BreadResource.class, HealthResource.class, ProbeResource.class,
                    MenuResource.class, NotFoundMapper.class);
        }
    }

    @ApplicationScoped
    public static class TracesProducer {
        @Produces
        @ApplicationScoped
        InMemoryTraces traces() {
            return TRACES;
        }
    }

    /** Thrown when a sandwich does not exist; mapped to 404 by {@link NotFoundMapper}. */
    public static class NoSuchSandwich extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchSandwich(String id) {
            super("no sandwich " + id);
        }
    }

    @Provider
    public static class NotFoundMapper implements ExceptionMapper<NoSuchSandwich> {
        @Override
        public Response toResponse(NoSuchSandwich exception) {
            return Response.status(404).entity(exception.getMessage()).build();
        }
    }

    @ApplicationScoped
    public static class Kitchen {
        @Inject
        Tracer tracer;

        @Traced("assemble_sandwich")
        public String assemble(String id) {
            tracer.currentSpan().setTag("sandwich.id", id);
            return "sandwich " + id;
        }
    }

    @ApplicationScoped
    @Path("/sandwiches")
    public static class SandwichResource {
        @Inject
        Kitchen kitchen;
        @Inject
        Tracer tracer;
        @Context
        UriInfo uriInfo;

        private final Client client = ClientBuilder.newClient();
        private final ExecutorService executor = Executors.newFixedThreadPool(2);

        @PreDestroy
        void close() {
            client.close();
            executor.shutdownNow();
        }

        @GET
        @Path("{id}")
        public String get(@PathParam("id") String id) {
            SEEN_ACTIVE.put("sync", activeName(tracer));
            return kitchen.assemble(id);
        }

        @GET
        @Path("{id}/with-bread")
        public String withBread(@PathParam("id") String id) {
            String bread = client.target(uriInfo.getBaseUri()).path("bread").path("rye").request().get(String.class);
            return kitchen.assemble(id) + " on " + bread;
        }

        /** Calls a port nothing listens on: the client call fails without a response. */
        @GET
        @Path("{id}/delivery")
        public Response delivery(@PathParam("id") String id) {
            try {
                client.target("http://127.0.0.1:" + CLOSED_PORT + "/couriers/" + id).request().get(String.class);
                return Response.ok("delivered").build();
            } catch (ProcessingException e) {
                return Response.status(502).entity("no courier").build();
            }
        }

        @GET
        @Path("missing/{id}")
        public String missing(@PathParam("id") String id) {
            throw new NoSuchSandwich(id);
        }

        @GET
        @Path("closed")
        public String closed() {
            throw new ServiceUnavailableException("the kitchen is closed");
        }

        @GET
        @Path("search")
        public String search() {
            return "found";
        }

        @GET
        @Path("async/{id}")
        public void async(@PathParam("id") String id, @Suspended AsyncResponse response) {
            SEEN_ACTIVE.put("async", activeName(tracer));
            Runnable resume = () -> response.resume(kitchen.assemble(id));
            executor.execute(tracer.wrap(resume));
        }

        @GET
        @Path("stage/{id}")
        public CompletionStage<String> stage(@PathParam("id") String id) {
            SEEN_ACTIVE.put("stage", activeName(tracer));
            return CompletableFuture.supplyAsync(() -> "staged " + id, executor);
        }

        @GET
        @Path("ignored-by-config")
        public String ignoredByConfig() {
            return "not traced";
        }
    }

    @ApplicationScoped
    @Path("/bread")
    public static class BreadResource {
        @GET
        @Path("{kind}")
        public String bread(@PathParam("kind") String kind) {
            return kind + " bread";
        }
    }

    @ApplicationScoped
    @DoNotTrace
    @Path("/health")
    public static class HealthResource {
        @GET
        public String health() {
            return "ok";
        }
    }

    /**
     * A class CDI cannot intercept (a final business method): the library must leave it unbound so
     * the application still starts, and the filters still trace it.
     */
    @Dependent
    @Path("/menu")
    public static class MenuResource {
        @GET
        public final String menu() {
            return "blt, cheese";
        }
    }

    /** Occupies both worker threads at once and reports what each sees as active: for leak checks. */
    @ApplicationScoped
    @DoNotTrace
    @Path("/probe")
    public static class ProbeResource {
        @Inject
        Tracer tracer;
        static volatile CyclicBarrier barrier = new CyclicBarrier(2);

        @GET
        public String probe() throws Exception {
            String active = activeName(tracer);
            barrier.await(5, TimeUnit.SECONDS);
            return active + " " + Thread.currentThread().getName();
        }
    }
}
