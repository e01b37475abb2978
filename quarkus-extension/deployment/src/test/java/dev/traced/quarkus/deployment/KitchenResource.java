package dev.traced.quarkus.deployment;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A Jakarta REST resource served by the stack under test, calling the traced sandwich bean. */
@Path("/kitchen")
public class KitchenResource {

    @Inject
    SandwichService sandwiches;

    @GET
    @Path("/sandwich")
    public String sandwich() {
        return sandwiches.assembleSandwich(sandwiches.getIngredients());
    }

    @GET
    @Path("/orders/{id}")
    public String order(@PathParam("id") String id) {
        return "order " + id;
    }

    /** Mapped to 418 by {@link FireMapper}: the span still records the exception. */
    @GET
    @Path("/fire")
    public String fire() {
        throw new KitchenFire("the toaster is on fire");
    }

    /** Not mapped: a 500. */
    @GET
    @Path("/burn")
    public String burn() {
        throw new IllegalStateException("burnt");
    }

    /** A resource under the non-application root: excluded by default. */
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

    /** Throws before the resource method runs, where no CDI interceptor can see it. */
    @Provider
    public static class LockedKitchenFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getUriInfo().getPath().endsWith("/sandwich") && request.getHeaderString("X-Locked") != null) {
                throw new KitchenFire("the kitchen is locked");
            }
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
