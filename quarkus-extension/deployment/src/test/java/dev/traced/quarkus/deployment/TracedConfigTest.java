package dev.traced.quarkus.deployment;

import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.internal.cdi.ContainerSettings;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dd.*} keys in application.properties reach the tracer through MicroProfile Config, and
 * {@code /q/*} is appended to the user's own {@code dd.trace.resources.ignore}.
 */
class TracedConfigTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, SandwichService.class, TestTraces.class)
                    .addAsResource(new StringAsset("""
                            dd.service=sandwich-shop
                            dd.env=staging
                            dd.version=1.2.3
                            dd.tags=team:kitchen,shift:night
                            dd.trace.resources.ignore=^/admin/.*
                            """), "application.properties"));

    @Inject
    SandwichService sandwiches;

    @Inject
    InMemoryTraces traces;

    @Inject
    ContainerSettings settings;

    @Test
    void ddKeysFromApplicationPropertiesShapeTheSpans() {
        traces.clear();
        sandwiches.assembleSandwich(sandwiches.getIngredients());

        traces.awaitTraces(2, Duration.ofSeconds(5));
        FinishedSpan span = traces.span("assemble_sandwich");
        assertEquals("my-sandwich-making-svc", span.service(), "@Traced(service) wins over dd.service");
        assertEquals("staging", span.meta().get("env"));
        assertEquals("kitchen", span.meta().get("team"));
        assertEquals("night", span.meta().get("shift"));
    }

    @Test
    void spansWithoutTheirOwnServiceUseDdServiceAndVersion() {
        traces.clear();
        sandwiches.order().toCompletableFuture().join();

        traces.awaitTraces(1, Duration.ofSeconds(5));
        FinishedSpan span = traces.span("sandwich.order");
        assertEquals("sandwich-shop", span.service());
        assertEquals("1.2.3", span.meta().get("version"));
    }

    @Test
    void nonApplicationPathsAreAppendedToTheUsersIgnoreList() {
        String ignore = settings.overrides().get("dd.trace.resources.ignore");
        String[] patterns = ignore.split(",");
        assertEquals(2, patterns.length, ignore);
        assertEquals("^/admin/.*", patterns[0]);
        Pattern quarkusPaths = Pattern.compile(patterns[1]);
        assertTrue(quarkusPaths.matcher("/q/health").matches());
        assertTrue(quarkusPaths.matcher("/q/health/live").matches());
        assertTrue(quarkusPaths.matcher("/q").matches());
        assertFalse(quarkusPaths.matcher("/quiche").matches());
        assertFalse(quarkusPaths.matcher("/sandwich/q/1").find());
        assertFalse(settings.overrides().containsKey("dd.trace.enabled"));
    }
}
