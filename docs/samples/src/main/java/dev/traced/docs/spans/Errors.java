package dev.traced.docs.spans;

import dev.traced.Span;
import dev.traced.Tracer;

/** creating-spans.md, Errors: a try-with-resources block does not see the exception. */
class Errors {

    Tracer tracer;

    void explodeOrder(String order) {
        // tag::errors[]
        try (Span span = tracer.trace("order.explode")) {
            try {
                explode(order);
            } catch (RuntimeException e) {
                span.setError(e);                                  // error=1, error.type, error.message, error.stack
                throw e;
            }
        }

        tracer.run("order.explode", span -> explode(order));      // the same, recorded for you
        // end::errors[]
    }

    private void explode(String order) {
        throw new IllegalStateException("exploded: " + order);
    }
}
