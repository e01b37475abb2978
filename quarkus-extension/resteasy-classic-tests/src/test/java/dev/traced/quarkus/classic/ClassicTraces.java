package dev.traced.quarkus.classic;

import dev.traced.InMemoryTraces;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the extension's tracer record into memory. */
public class ClassicTraces {

    @Produces
    @Singleton
    InMemoryTraces traces() {
        return new InMemoryTraces();
    }
}
