package dev.traced.compat.shop;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Called by {@link OrderResource}; answers with the Datadog headers it received, for the test to compare. */
@ApplicationScoped
@Path("/stock")
public class StockResource {

    @GET
    @Path("{dish}")
    public String stock(@PathParam("dish") String dish, @HeaderParam("x-datadog-trace-id") String traceId,
            @HeaderParam("x-datadog-parent-id") String parentId) {
        return "3 " + dish + " left (trace " + traceId + ", parent " + parentId + ")";
    }
}
