package dev.traced.quarkus.deployment;

import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.Traced;
import dev.traced.Tracer;
import dev.traced.internal.cdi.ContainerSettings;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code quarkus.traced.enabled=false} turns tracing off: beans and {@code Tracer} still work, no
 * span is recorded, and code that tags the current spans as the README shows
 * ({@code tracer.currentRootSpan().setTag(...)}) runs unchanged on the no-op span, in a request and in
 * a {@code @Traced} method; {@code suppress-non-application-uris=false} leaves the ignore list alone.
 */
class TracedDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, SandwichService.class, TestTraces.class,
                    Receipts.class, ReceiptResource.class))
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

    @Test
    void requestsThatTagTheCurrentSpansAnswerAsWithTracingOn() {
        given().get("/receipts/9").then().statusCode(200).body(equalTo("receipt 9 (recording: false)"));
        assertTrue(traces.traces().isEmpty(), traces.traces().toString());
    }

    @Test
    void tracedMethodsThatTagTheRootSpanRun() {
        assertEquals("receipt 4 (recording: false)", receipts.print("4"));
        assertFalse(tracer.currentSpan().isRecording(), "outside any span: the no-op span, not null");
        assertTrue(traces.traces().isEmpty(), traces.traces().toString());
    }

    @Inject
    Receipts receipts;

    @ApplicationScoped
    public static class Receipts {
        @Inject
        Tracer tracer;

        @Traced("receipt.print")
        public String print(String id) {
            tracer.currentRootSpan().setTag("receipt.id", id);
            tracer.currentSpan().setTag("printer", "front");
            return "receipt " + id + " (recording: " + tracer.currentSpan().isRecording() + ")";
        }
    }

    @Path("/receipts")
    public static class ReceiptResource {
        @Inject
        Tracer tracer;
        @Inject
        Receipts receipts;

        @GET
        @Path("{id}")
        public String receipt(@PathParam("id") String id) {
            tracer.currentRootSpan().setTag("receipt.id", id).setError(false);
            return receipts.print(id);
        }
    }
}
