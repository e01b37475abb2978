package dev.traced.quarkus.norest;

import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Traced;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Quarkus application without any REST extension (a worker, a messaging service): the REST build
 * steps stay inactive, the build succeeds and {@code @Traced} works.
 */
class NoRestStackTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Bakery.class, Traces.class));

    @Inject
    Bakery bakery;

    @Inject
    InMemoryTraces traces;

    @Test
    void tracedBeansWorkWithoutARestStack() {
        assertEquals("bread", bakery.bake());

        traces.awaitTraces(1, Duration.ofSeconds(5));
        FinishedSpan span = traces.span("bakery.bake");
        assertEquals("bakery.bake", span.operationName());
    }

    @ApplicationScoped
    public static class Bakery {
        @Traced("bakery.bake")
        public String bake() {
            return "bread";
        }
    }

    public static class Traces {
        @Produces
        @Singleton
        InMemoryTraces traces() {
            return new InMemoryTraces();
        }
    }
}
