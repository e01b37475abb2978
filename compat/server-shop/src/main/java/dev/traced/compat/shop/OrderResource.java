package dev.traced.compat.shop;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

/**
 * An order: asks the stock resource of the same war over HTTP with a plain {@code ClientBuilder}
 * client (no registration, as a user writes it), then has the kitchen prepare the dish.
 */
@ApplicationScoped
@Path("/orders")
public class OrderResource {

    @Inject
    Kitchen kitchen;
    @Context
    UriInfo uriInfo;

    private final Client client = ClientBuilder.newClient();

    @PreDestroy
    void close() {
        client.close();
    }

    @GET
    @Path("{dish}")
    public String order(@PathParam("dish") String dish) {
        String stock = client.target(uriInfo.getBaseUri()).path("stock").path(dish).request().get(String.class);
        return kitchen.prepare(dish) + "; " + stock;
    }
}
