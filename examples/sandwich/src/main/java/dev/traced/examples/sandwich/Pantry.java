package dev.traced.examples.sandwich;

import dev.traced.Span;
import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

/** Where ingredients come from: the page's {@code get_ingredients()}. */
@ApplicationScoped
public class Pantry {

    private static final Map<String, List<String>> RECIPES = Map.of(
            "blt", List.of("bread", "bacon", "lettuce", "tomato"),
            "cheese", List.of("bread", "cheddar", "pickle"));

    @Inject
    Tracer tracer;

    /** {@code @tracer.wrap(service="my-sandwich-making-svc", resource="resource_name")}. */
    @Traced(service = "my-sandwich-making-svc", resource = "resource_name")
    public List<String> getIngredients(String sandwich) {
        // tracer.current_span(): this method's own span.
        Span span = tracer.currentSpan();
        List<String> ingredients = RECIPES.get(sandwich);
        if (ingredients == null) {
            // Leaves the method: the span is marked as an error and the exception goes on unchanged.
            throw new IllegalStateException("Oops! The pantry has nothing for a " + sandwich + " sandwich");
        }
        span.setTag("pantry.shelf", "top");
        return ingredients;
    }
}
