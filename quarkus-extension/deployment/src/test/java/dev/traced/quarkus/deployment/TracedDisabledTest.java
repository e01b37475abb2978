package dev.traced.quarkus.deployment;

import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.Tracer;
import dev.traced.internal.cdi.ContainerSettings;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code quarkus.traced.enabled=false} turns tracing off: beans and {@code Tracer} still work, no
 * span is recorded; {@code suppress-non-application-uris=false} leaves the ignore list alone.
 */
class TracedDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, SandwichService.class, TestTraces.class))
            .overrideConfigKey("quarkus.traced.enabled", "false")
            .overrideConfigKey("quarkus.traced.suppress-non-application-uris", "false");

    @Inject
    SandwichService sandwiches;

    @Inject
    Tracer tracer;

    @Inject
    InMemoryTraces traces;

    @Inject
    ContainerSettings settings;

    @Test
    void nothingIsRecordedWhenDisabled() {
        assertEquals("bread+cheese+tomato", sandwiches.assembleSandwich(sandwiches.getIngredients()));
        try (Span span = tracer.trace("sandwich.make")) {
            span.setTag("sandwich.kind", "blt");
        }
        // The in-memory writer records synchronously: were tracing on, both traces would be here now.
        assertTrue(traces.traces().isEmpty(), traces.traces().toString());
        assertEquals("false", settings.overrides().get("dd.trace.enabled"));
    }

    @Test
    void nonApplicationPathsAreNotSuppressedWhenSwitchedOff() {
        assertFalse(settings.overrides().containsKey("dd.trace.resources.ignore"));
    }
}
