package dev.traced.docs.spans;

import dev.traced.Traced;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** creating-spans.md, {@code @Traced}. */
// tag::traced[]
@ApplicationScoped
public class Kitchen {

    @Traced(service = "my-sandwich-making-svc", resource = "resource_name")
    public List<String> getIngredients() {
        return List.of("bread", "cheese", "tomato");
    }

    @Traced(value = "assemble_sandwich", service = "my-sandwich-making-svc", resource = "resource_name")
    public String assembleSandwich(List<String> ingredients) {
        return String.join("+", ingredients);
    }
}
// end::traced[]
