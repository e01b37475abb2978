package dev.traced.compat.java25;

import dev.traced.Traced;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The outer {@code @Traced} bean: each order is a trace whose root is this method's span. */
@ApplicationScoped
public class Bakery {

    @Inject
    Oven oven;

    @Traced("bakery.order")
    public String order(int number) throws InterruptedException {
        Thread.sleep(1); // unmounts inside the root span
        return oven.bake(number);
    }
}
