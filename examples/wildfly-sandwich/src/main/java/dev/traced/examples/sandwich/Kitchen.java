package dev.traced.examples.sandwich;

import dev.traced.Traced;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/** The two steps of the seed page, each its own span through {@code @Traced} ({@code @tracer.wrap}). */
@ApplicationScoped
public class Kitchen {

    private static final Map<String, List<String>> RECIPES = Map.of(
            "blt", List.of("bread", "bacon", "lettuce", "tomato"),
            "cheese", List.of("bread", "cheese"),
            "anchovy", List.of("bread", "anchovies"));

    /** Goes to the pantry, checks the fridge; fails when an ingredient is out of stock. */
    @Traced(service = "my-sandwich-making-svc", resource = "resource_name")
    public List<String> getIngredients(String kind) {
        List<String> ingredients = RECIPES.get(kind);
        if (ingredients == null) {
            throw new IllegalArgumentException("No recipe for " + kind);
        }
        if (ingredients.contains("anchovies")) {
            throw new IllegalStateException("Out of anchovies");
        }
        return ingredients;
    }

    @Traced(value = "assemble_sandwich", service = "my-sandwich-making-svc", resource = "resource_name")
    public String assembleSandwich(List<String> ingredients) {
        return String.join("+", ingredients);
    }
}
