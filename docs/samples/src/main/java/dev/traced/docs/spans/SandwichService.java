package dev.traced.docs.spans;

import dev.traced.Span;
import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** creating-spans.md, the opening example. */
// tag::sandwich-service[]
@ApplicationScoped
public class SandwichService {

    @Inject
    Tracer tracer;

    @Traced(service = "my-sandwich-making-svc", resource = "resource_name")
    public List<String> getIngredients() {
        return List.of("bread", "cheese");
    }

    public String makeSandwich() {
        try (Span span = tracer.trace("sandwich.make")) {
            List<String> ingredients = getIngredients();
            span.setTag("num_ingredients", ingredients.size());
            return String.join("+", ingredients);
        }
    }
}
// end::sandwich-service[]
