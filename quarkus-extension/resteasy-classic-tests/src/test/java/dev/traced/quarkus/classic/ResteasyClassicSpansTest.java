package dev.traced.quarkus.classic;

import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Server spans on RESTEasy Classic, with the extension only. */
class ResteasyClassicSpansTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(ClassicTraces.class, ClassicKitchenResource.class,
                    ClassicKitchenResource.StatusResource.class, ClassicKitchenResource.KitchenFire.class,
                    ClassicKitchenResource.FireMapper.class))
            .overrideConfigKey("quarkus.http.host", "127.0.0.1")
            .overrideConfigKey("quarkus.http.test-host", "127.0.0.1")
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("dd.service", "classic-kitchen");

    @Inject
    InMemoryTraces traces;

    @BeforeEach
    void clear() {
        traces.clear();
    }

    @Test
    void requestIsOneServerSpanParentOfTheTracedResourceMethod() {
        given().get("/kitchen/orders/42").then().statusCode(200).body(equalTo("order 42"));

        List<FinishedSpan> trace = traces.awaitTraces(1, Duration.ofSeconds(5)).get(0);
        assertEquals(2, trace.size(), trace.toString());
        FinishedSpan server = traces.span("jax-rs.request");
        assertEquals("GET /kitchen/orders/{id}", server.resource());
        assertEquals("classic-kitchen", server.service());
        assertEquals("200", server.meta().get("http.status_code"));
        assertEquals(server.spanId(), traces.span("kitchen.order").parentId());
        assertFalse(server.isError());
    }

    @Test
    void mappedExceptionIsRecordedOnTheServerSpan() {
        given().get("/kitchen/fire").then().statusCode(418);

        traces.awaitTraces(1, Duration.ofSeconds(5));
        FinishedSpan server = traces.span("jax-rs.request");
        assertEquals("418", server.meta().get("http.status_code"));
        assertEquals(ClassicKitchenResource.KitchenFire.class.getName(), server.meta().get("error.type"));
    }

    @Test
    void nonApplicationPathsAreNotTraced() {
        given().get("/q/status").then().statusCode(200).body(equalTo("ok"));
        given().get("/kitchen/orders/7").then().statusCode(200);

        traces.awaitTraces(1, Duration.ofSeconds(5));
        assertEquals(2, traces.spans().size(), traces.spans().toString());
        assertEquals("GET /kitchen/orders/{id}", traces.span("jax-rs.request").resource());
    }
}
