package dev.traced.compat.java25;

import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The inner {@code @Traced} bean: a child span that tags the root, across an unmount. */
@ApplicationScoped
public class Oven {

    @Inject
    Tracer tracer;

    @Traced("oven.bake")
    public String bake(int number) throws InterruptedException {
        tracer.currentRootSpan().setTag("order.number", number);
        Thread.sleep(2);
        return tracer.currentSpan().context().spanId();
    }
}
