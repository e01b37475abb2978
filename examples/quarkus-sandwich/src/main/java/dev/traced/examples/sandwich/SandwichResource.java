package dev.traced.examples.sandwich;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.Produces;

import java.util.Arrays;
import java.util.List;

/** {@code make_sandwich_request(request)}: each request is a server span, with the kitchen's spans under it. */
@Path("/sandwich")
@Produces(MediaType.TEXT_PLAIN)
public class SandwichResource {

    @Inject
    Kitchen kitchen;

    @GET
    public String make() {
        return kitchen.makeSandwich();
    }

    /** Made to order: {@code ?with=bread,glue} fails, and its spans say so. */
    @GET
    @Path("/custom")
    public String custom(@QueryParam("with") String with) {
        List<String> ingredients = Arrays.asList(with.split(","));
        return kitchen.assembleSandwich(ingredients);
    }
}
