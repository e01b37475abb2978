package dev.traced.docs.spans;

import dev.traced.Span;
import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** creating-spans.md, The current span: never null, a no-op span where there is none. */
@ApplicationScoped
public class Checkout {

    @Inject
    Tracer tracer;

    // tag::current-span[]
    @Traced
    public void checkout(List<String> cart) {
        tracer.currentRootSpan().setTag("cart.items", cart.size());   // safe anywhere, tracing on or off
        Span span = tracer.currentSpan();
        if (span.isRecording()) {
            span.setTag("cart.summary", String.join(",", cart));      // only computed when it is recorded
        }
    }
    // end::current-span[]
}
