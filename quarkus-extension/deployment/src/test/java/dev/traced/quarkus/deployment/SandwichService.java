package dev.traced.quarkus.deployment;

import dev.traced.Traced;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The seed page's sandwich shop as an ArC bean, plus the asynchronous shapes a Quarkus bean returns. */
@ApplicationScoped
public class SandwichService {

    @Traced(service = "my-sandwich-making-svc", resource = "resource_name")
    public List<String> getIngredients() {
        return List.of("bread", "cheese", "tomato");
    }

    @Traced(value = "assemble_sandwich", service = "my-sandwich-making-svc", resource = "resource_name")
    public String assembleSandwich(List<String> ingredients) {
        return String.join("+", ingredients);
    }

    @Traced
    public void burn() {
        throw new IllegalStateException("Oops!");
    }

    @Traced("sandwich.deliver")
    public Uni<String> deliver(Duration after) {
        return Uni.createFrom().item("delivered").onItem().delayIt().by(after);
    }

    @Traced("sandwich.deliver.failing")
    public Uni<String> deliverFailing() {
        return Uni.createFrom().failure(new IllegalStateException("van broke down"));
    }

    @Traced("sandwich.slices")
    public Multi<Integer> slices() {
        return Multi.createFrom().items(1, 2, 3);
    }

    @Traced("sandwich.order")
    public CompletionStage<String> order() {
        return CompletableFuture.supplyAsync(() -> "ordered");
    }
}
