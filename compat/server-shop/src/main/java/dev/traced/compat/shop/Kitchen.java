package dev.traced.compat.shop;

import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A CDI bean with a {@code @Traced} method, which adds a manual span of its own. */
@ApplicationScoped
public class Kitchen {

    @Inject
    Tracer tracer;

    @Traced("kitchen.prepare")
    public String prepare(String dish) {
        if (dish.equals("anchovy")) {
            throw new IllegalStateException("Out of anchovies");
        }
        return tracer.call("kitchen.plate", span -> {
            span.setTag("dish", dish);
            return "a plate of " + dish;
        });
    }
}
