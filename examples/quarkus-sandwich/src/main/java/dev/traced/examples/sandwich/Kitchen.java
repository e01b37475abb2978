package dev.traced.examples.sandwich;

import dev.traced.Span;
import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The seed page's sandwich shop: {@code @tracer.wrap(...)} becomes {@code @Traced(...)}, and
 * {@code tracer.current_span()} becomes {@code tracer.currentSpan()}.
 */
@ApplicationScoped
public class Kitchen {

    @Inject
    Tracer tracer;

    @Traced(service = "my-sandwich-making-svc", resource = "resource_name")
    public List<String> getIngredients() {
        // Go to the pantry, check the fridge, buy what is missing.
        return List.of("bread", "cheese", "tomato");
    }

    @Traced(value = "assemble_sandwich", service = "my-sandwich-making-svc", resource = "resource_name")
    public String assembleSandwich(List<String> ingredients) {
        tracer.currentSpan().setTag("sandwich.ingredients", ingredients.size());
        if (ingredients.contains("glue")) {
            throw new IllegalArgumentException("not a sandwich ingredient: glue");
        }
        return String.join("+", ingredients);
    }

    /** The context-manager form: one span around both operations. */
    public String makeSandwich() {
        try (Span span = tracer.trace("sandwich.make", "resource_name")) {
            String sandwich = assembleSandwich(getIngredients());
            span.setTag("sandwich", sandwich);
            return sandwich;
        }
    }
}
