package dev.traced.examples.sandwich;

import dev.traced.Span;
import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** The page's {@code assemble_sandwich(ingredients)}. */
@ApplicationScoped
public class Assembly {

    @Inject
    Tracer tracer;

    /** {@code @tracer.wrap("assemble_sandwich", service="my-sandwich-making-svc", resource="resource_name")}. */
    @Traced(value = "assemble_sandwich", service = "my-sandwich-making-svc", resource = "resource_name")
    public String assembleSandwich(List<String> ingredients) {
        try (Span another = tracer.trace("another.operation")) {
            // tracer.current_root_span(): the request's server span, the local root of this trace.
            tracer.currentRootSpan().setTag("sandwich.layers", ingredients.size());
            another.setTag("layers", String.join("/", ingredients));
            return String.join(" + ", ingredients);
        }
    }
}
