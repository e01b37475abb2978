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

/**
 * {@code make_sandwich_request} of the seed page. The server span comes from the traced module's
 * JAX-RS filter; {@code sandwich.make} wraps both steps, like ddtrace's {@code with tracer.trace(...)}.
 */
@Path("/sandwiches")
@RequestScoped
public class SandwichResource {

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
            return kitchen.assembleSandwich(ingredients);
        });
    }
}
