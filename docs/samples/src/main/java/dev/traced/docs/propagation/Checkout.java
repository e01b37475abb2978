package dev.traced.docs.propagation;

import dev.traced.Span;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/** propagation.md, Baggage: reading and setting W3C baggage from code. */
@ApplicationScoped
class Checkout {

    @Inject
    Tracer tracer;

    String checkout(String cartId) {
        // tag::baggage[]
        Span span = tracer.currentSpan();                       // the request's span (any span of the trace)
        String user = span.getBaggageItem("user.id");            // from the caller's baggage header, or null
        span.setBaggageItem("cart.id", cartId);                  // sent with every call made from now on
        Map<String, String> all = span.baggage();                // read-only, in the order items were set
        span.removeBaggageItem("cart.id");                       // or setBaggageItem("cart.id", null)
        span.removeAllBaggageItems();
        // end::baggage[]
        return user + all;
    }
}
