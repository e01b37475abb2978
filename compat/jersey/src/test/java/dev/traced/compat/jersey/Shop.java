package dev.traced.compat.jersey;

import dev.traced.Span;
import dev.traced.Traced;
import dev.traced.Tracer;
import dev.traced.TracingFeature;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The application under test: CDI beans served by Jersey, with no tracing code but {@code @Traced}. */
final class Shop {

    /** Headers the bread resource received, by name (lower case): what the client filter sent. */
    static final Map<String, String> RECEIVED = new ConcurrentHashMap<>();

    private Shop() {
    }

    @ApplicationScoped
    public static class Kitchen {
        @Inject
        Tracer tracer;

        @Traced("assemble_sandwich")
        public String assemble(String id, String bread) {
            tracer.currentSpan().setTag("sandwich.id", id);
            return "sandwich " + id + " on " + bread;
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

        /** A plain Jersey client: no registration, as a user writes it. */
        private final Client client = ClientBuilder.newClient();

        @PreDestroy
        void close() {
            client.close();
        }

        @GET
        @Path("{id}/with-bread")
        public String withBread(@PathParam("id") String id) {
            String bread = client.target(uriInfo.getBaseUri()).path("bread").path("rye").request().get(String.class);
            return kitchen.assemble(id, bread);
        }

        /** The documented manual registration, on top of Jersey's automatic one. */
        @GET
        @Path("{id}/with-bread-manual")
        public String withBreadManual(@PathParam("id") String id) {
            Client manual = ClientBuilder.newClient().register(new TracingFeature(tracer)).register(TracingFeature.class);
            try {
                String bread = manual.target(uriInfo.getBaseUri()).path("bread").path("spelt").request().get(String.class);
                return kitchen.assemble(id, bread);
            } finally {
                manual.close();
            }
        }

        @GET
        @Path("active")
        public String active() {
            Span span = tracer.currentSpan();
            return span == null ? "none" : "active";
        }
    }

    @ApplicationScoped
    @Path("/bread")
    public static class BreadResource {
        @GET
        @Path("{kind}")
        public String bread(@PathParam("kind") String kind, @Context HttpHeaders headers) {
            headers.getRequestHeaders().forEach((name, values) -> RECEIVED.put(name.toLowerCase(), String.join(",", values)));
            return kind + " bread";
        }
    }

    /** Not a CDI bean: Jersey creates it. */
    @Path("/ping")
    public static class PingResource {
        @GET
        public String ping() {
            return "pong";
        }
    }
}
