package dev.traced.cdi;

import dev.traced.InMemoryTraces;
import dev.traced.Traced;
import dev.traced.internal.cdi.AsyncResultType;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldJunit5Extension;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A runtime's {@link AsyncResultType} bean (the Quarkus extension's Mutiny one, here a minimal
 * {@link Later}) makes a traced method's span end when the result terminates, not when it returns.
 */
@ExtendWith(WeldJunit5Extension.class)
class AsyncResultTypeTest {

    static final InMemoryTraces TRACES = new InMemoryTraces();

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(TracerHolder.class, TracedInterceptor.class,
            LaterResultType.class, Oven.class, AsyncResultTypeTest.class).build();

    @Produces
    @ApplicationScoped
    InMemoryTraces traces() {
        return TRACES;
    }

    @BeforeEach
    void clear() {
        TRACES.clear();
    }

    @Inject
    Oven oven;

    @Test
    void spanEndsWhenTheResultTerminates() {
        Later bread = oven.bake();
        assertTrue(TRACES.traces().isEmpty(), () -> "still baking: the span is open, yet " + TRACES.spans());

        bread.complete(null);

        TRACES.awaitTraces(1, Duration.ofSeconds(5));
        assertEquals("oven.bake", TRACES.span("oven.bake").operationName());
    }

    @Test
    void failureMarksTheSpan() {
        oven.bake().complete(new IllegalStateException("burnt"));

        TRACES.awaitTraces(1, Duration.ofSeconds(5));
        assertTrue(TRACES.span("oven.bake").isError());
        assertEquals("burnt", TRACES.span("oven.bake").meta().get("error.message"));
    }

    /** The smallest asynchronous result: completed by the test, with an optional failure. */
    public static final class Later {
        private Consumer<Throwable> onTermination = error -> { };

        public void complete(Throwable error) {
            onTermination.accept(error);
        }
    }

    @ApplicationScoped
    public static class LaterResultType implements AsyncResultType {
        @Override
        public boolean handles(Class<?> declaredReturnType) {
            return declaredReturnType == Later.class;
        }

        @Override
        public Object whenTerminated(Object result, Consumer<Throwable> onTermination) {
            ((Later) result).onTermination = onTermination;
            return result;
        }
    }

    @ApplicationScoped
    public static class Oven {
        @Traced("oven.bake")
        public Later bake() {
            return new Later();
        }
    }
}
