package dev.traced.examples.sandwich;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** {@code GET /bakery/bread/{kind}}: the second resource the shop calls over HTTP. */
@ApplicationScoped
@Path("/bakery")
public class BakeryResource {

    @GET
    @Path("bread/{kind}")
    public String bread(@PathParam("kind") String kind) {
        return "fresh " + kind;
    }
}
