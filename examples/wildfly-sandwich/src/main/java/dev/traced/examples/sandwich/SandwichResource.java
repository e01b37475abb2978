package dev.traced.examples.sandwich;

import dev.traced.Tracer;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.logging.Logger;

/**
 * {@code make_sandwich_request} of the seed page. The server span comes from the traced module's
 * JAX-RS filter; {@code sandwich.make} wraps both steps, like ddtrace's {@code with tracer.trace(...)}.
 * The line it logs carries the span's ids for the server's log format (log correlation).
 */
@Path("/sandwiches")
@RequestScoped
public class SandwichResource {

    private static final Logger LOG = Logger.getLogger(SandwichResource.class.getName());

    @Inject
    Tracer tracer;

    @Inject
    Kitchen kitchen;

    @GET
    @Path("/{kind}")
    @Produces(MediaType.TEXT_PLAIN)
    public String makeSandwich(@PathParam("kind") String kind) {
        return tracer.call("sandwich.make", span -> {
            List<String> ingredients = kitchen.getIngredients(kind);
            span.setTag("num_ingredients", ingredients.size());
            // With a log format showing %X{dd.trace_id} and %X{dd.span_id}, this line links to the span.
            LOG.info(() -> "making a " + kind + " sandwich with " + ingredients);
            return kitchen.assembleSandwich(ingredients);
        });
    }
}
