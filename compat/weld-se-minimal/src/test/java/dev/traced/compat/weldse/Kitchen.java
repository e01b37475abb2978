package dev.traced.compat.weldse;

import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A batch job's bean: a traced method calling another, tagging the root span as the README shows. */
@ApplicationScoped
public class Kitchen {

    @Inject
    Tracer tracer;

    @Inject
    Oven oven;

    @Traced(value = "kitchen.order", resource = "sandwich")
    public String order(int layers) {
        tracer.currentRootSpan().setTag("sandwich.layers", layers);
        return oven.bake() + " with " + layers + " layers";
    }
}
