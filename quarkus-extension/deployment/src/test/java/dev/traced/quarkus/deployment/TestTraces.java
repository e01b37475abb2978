package dev.traced.quarkus.deployment;

import dev.traced.InMemoryTraces;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the extension's tracer record into memory, as the library's CDI tests do. */
public class TestTraces {

    @Produces
    @Singleton
    InMemoryTraces traces() {
        return new InMemoryTraces();
    }
}
