package dev.traced.examples.sandwich;

import dev.traced.Span;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** Where sandwiches are made: the page's {@code make_sandwich_request}. */
@ApplicationScoped
public class Kitchen {

    @Inject
    Tracer tracer;

    @Inject
    Pantry pantry;

    @Inject
    Assembly assembly;

    /** {@code with tracer.trace("sandwich.make") as span:} around both operations, and a tag on it. */
    public String makeSandwichRequest(String sandwich) {
        try (Span span = tracer.trace("sandwich.make")) {
            List<String> ingredients = pantry.getIngredients(sandwich);
            span.setTag("num_ingredients", ingredients.size());
            return assembly.assembleSandwich(ingredients);
        }
    }
}
