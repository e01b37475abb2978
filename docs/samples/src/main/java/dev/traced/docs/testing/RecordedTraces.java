package dev.traced.docs.testing;

import dev.traced.InMemoryTraces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** testing.md: in a CDI test, the injected tracer records into this bean instead of sending. */
// tag::recorded-traces[]
@ApplicationScoped
public class RecordedTraces {

    static final InMemoryTraces TRACES = new InMemoryTraces();

    @Produces
    @ApplicationScoped
    InMemoryTraces traces() {
        return TRACES;
    }
}
// end::recorded-traces[]
