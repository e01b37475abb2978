package dev.traced.quarkus.classic;

import dev.traced.Traced;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A resource served by RESTEasy Classic. */
@Path("/kitchen")
public class ClassicKitchenResource {

    @GET
    @Path("/orders/{id}")
    @Traced("kitchen.order")
    public String order(@PathParam("id") String id) {
        return "order " + id;
    }

    /** Mapped to 418: the span still records the exception. */
    @GET
    @Path("/fire")
    public String fire() {
        throw new KitchenFire("the toaster is on fire");
    }

    @Path("/q/status")
    public static class StatusResource {

        @GET
        public String status() {
            return "ok";
        }
    }

    public static class KitchenFire extends RuntimeException {
        public KitchenFire(String message) {
            super(message);
        }
    }

    @Provider
    public static class FireMapper implements ExceptionMapper<KitchenFire> {
        @Override
        public Response toResponse(KitchenFire exception) {
            return Response.status(418).entity("call the fire brigade").build();
        }
    }
}
