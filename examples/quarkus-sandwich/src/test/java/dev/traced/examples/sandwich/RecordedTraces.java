package dev.traced.examples.sandwich;

import dev.traced.InMemoryTraces;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** In tests, traces are recorded in memory instead of sent to the Agent. */
public class RecordedTraces {

    @Produces
    @Singleton
    InMemoryTraces traces() {
        return new InMemoryTraces();
    }
}
