package dev.traced.cdi;

import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** The seed page's sandwich shop, as CDI beans. */
@ApplicationScoped
public class SandwichBeans {

    @Inject
    Tracer tracer;

    @Traced(service = "my-sandwich-making-svc", resource = "resource_name")
    public List<String> getIngredients() {
        return List.of("bread", "cheese", "tomato");
    }

    @Traced(value = "assemble_sandwich", service = "my-sandwich-making-svc", resource = "resource_name")
    public String assembleSandwich(List<String> ingredients) {
        return String.join("+", ingredients);
    }

    @Traced
    public String plain() {
        return "plain";
    }

    @Traced
    public void fails() {
        throw new IllegalStateException("Oops!");
    }
}
