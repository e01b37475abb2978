package dev.traced.quarkus.deployment;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The Quarkus REST Client view of {@link KitchenResource}. */
@Path("/kitchen")
public interface KitchenClient {

    @GET
    @Path("/sandwich")
    String sandwich();
}
