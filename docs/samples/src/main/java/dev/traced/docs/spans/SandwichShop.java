package dev.traced.docs.spans;

import dev.traced.Span;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.concurrent.Executor;

/** creating-spans.md, {@code Tracer} and {@code Span}. */
// tag::tracer-and-span[]
@ApplicationScoped
public class SandwichShop {

    @Inject
    Tracer tracer;

    @Inject
    Kitchen kitchen;

    public String makeSandwichRequest() {
        try (Span span = tracer.trace("sandwich.make")) {       // child of the active span, made active
            List<String> ingredients = kitchen.getIngredients();
            span.setTag("num_ingredients", ingredients.size());
            return kitchen.assembleSandwich(ingredients);
        }
    }
}
// end::tracer-and-span[]

/** The other forms: one method, so the page can show the lines without the method around them. */
class OtherForms {

    Tracer tracer;
    Kitchen kitchen;
    Executor executor;

    String otherForms(List<String> ingredients) {
        // tag::other-forms[]
        String sandwich = tracer.call("sandwich.make", span -> kitchen.assembleSandwich(ingredients));
        tracer.run("sandwich.wrap", span -> span.setTag("paper", "brown"));

        Span pantry = tracer.spanBuilder("pantry.check").service("pantry").resource("shelf-3").spanType("cache")
                .tag("shelf", 3).measured().start();                   // more settings; active until finished
        pantry.finish();

        Span callback = tracer.spanBuilder("callback").startInactive(); // finished later, maybe on another thread
        executor.execute(tracer.wrap(() -> callback.finish()));         // runs with the caller's active span
        // end::other-forms[]
        return sandwich;
    }
}
