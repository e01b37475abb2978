package dev.traced.docs.sampling;

import dev.traced.Span;
import dev.traced.Tracer;

/** sampling.md: manual keep. */
class Checkout {

    record Order(boolean isVip) {
    }

    Tracer tracer;

    void pay(Order order) {
        // tag::keep-trace[]
        try (Span span = tracer.trace("checkout.pay")) {
            if (order.isVip()) {
                span.keepTrace();
            }
        }
        // end::keep-trace[]
    }
}
