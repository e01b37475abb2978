package dev.traced.examples.sandwich;

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
 * {@code GET /sandwiches/{name}}: makes the sandwich, then fetches bread from the bakery, another
 * resource, through the JAX-RS client: the bakery's server span continues this request's trace.
 */
@ApplicationScoped
@Path("/sandwiches")
public class ShopResource {

    @Inject
    Kitchen kitchen;

    @Context
    UriInfo uriInfo;

    /** An ordinary JAX-RS client: the library's client filter is registered in it automatically. */
    private final Client client = ClientBuilder.newClient();

    @GET
    @Path("{name}")
    public String order(@PathParam("name") String name) {
        String sandwich = kitchen.makeSandwichRequest(name);
        String bread = client.target(uriInfo.getBaseUri()).path("bakery/bread/{kind}")
                .resolveTemplate("kind", "sourdough").request().get(String.class);
        return sandwich + " (on " + bread + ")";
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
