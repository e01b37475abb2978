package dev.traced.quarkus.deployment;

import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.Tracer;
import io.quarkus.arc.Arc;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.test.QuarkusUnitTest;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server spans on Quarkus REST and client spans on the Quarkus REST Client, with the extension only. */
class RestSpansTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, TestTraces.class, SandwichService.class,
                    KitchenResource.class, KitchenResource.StatusResource.class, KitchenResource.KitchenFire.class,
                    KitchenResource.FireMapper.class, KitchenResource.LockedKitchenFilter.class, KitchenClient.class))
            .overrideConfigKey("dd.service", "kitchen");

    @TestHTTPResource
    URI baseUri;

    @Inject
    InMemoryTraces traces;

    @Inject
    Tracer tracer;

    @BeforeEach
    void clear() {
        traces.clear();
    }

    /**
     * The build compatible extension binds the resource interceptor to resource classes by the name of
     * {@code @Path}: the resource bean is an intercepted subclass although nothing in it is
     * {@code @Traced}.
     */
    @Test
    void resourceClassesAreBoundToTheResourceInterceptor() {
        Class<?> instance = Arc.container().instance(KitchenResource.class).get().getClass();
        assertTrue(instance.getName().endsWith("_Subclass"), instance.getName());
    }

    @Test
    void requestIsAServerSpanParentOfTheTracedBeans() {
        given().get("/kitchen/sandwich").then().statusCode(200).body(equalTo("bread+cheese+tomato"));

        List<FinishedSpan> trace = traces.awaitTraces(1, Duration.ofSeconds(5)).get(0);
        assertEquals(3, trace.size(), names(trace));
        FinishedSpan server = traces.span("jax-rs.request");
        assertEquals("GET /kitchen/sandwich", server.resource());
        assertEquals("web", server.spanType());
        assertEquals("kitchen", server.service());
        assertEquals("200", server.meta().get("http.status_code"));
        assertEquals("server", server.meta().get("span.kind"));
        assertEquals(server.spanId(), traces.span("assemble_sandwich").parentId());
        assertFalse(server.isError());
    }

    @Test
    void resourceIsTheRouteTemplate() {
        given().get("/kitchen/orders/42").then().statusCode(200);

        traces.awaitTraces(1, Duration.ofSeconds(5));
        assertEquals("GET /kitchen/orders/{id}", traces.span("jax-rs.request").resource());
    }

    @Test
    void exceptionIsRecordedBeforeTheExceptionMapperAnswers() {
        given().get("/kitchen/fire").then().statusCode(418).body(equalTo("call the fire brigade"));

        traces.awaitTraces(1, Duration.ofSeconds(5));
        FinishedSpan server = traces.span("jax-rs.request");
        assertEquals("418", server.meta().get("http.status_code"));
        assertEquals(KitchenResource.KitchenFire.class.getName(), server.meta().get("error.type"));
        assertEquals("the toaster is on fire", server.meta().get("error.message"));
    }

    @Test
    void exceptionFromAFilterIsRecordedBeforeTheMapperAnswers() {
        given().header("X-Locked", "yes").get("/kitchen/sandwich").then().statusCode(418);

        traces.awaitTraces(1, Duration.ofSeconds(5));
        FinishedSpan server = traces.span("jax-rs.request");
        assertEquals("418", server.meta().get("http.status_code"));
        assertEquals("the kitchen is locked", server.meta().get("error.message"));
        assertEquals(1, traces.spans().size(), "the resource method never ran");
    }

    @Test
    void unmappedExceptionIsAServerError() {
        given().get("/kitchen/burn").then().statusCode(500);

        traces.awaitTraces(1, Duration.ofSeconds(5));
        FinishedSpan server = traces.span("jax-rs.request");
        assertTrue(server.isError());
        assertEquals("500", server.meta().get("http.status_code"));
        assertEquals(IllegalStateException.class.getName(), server.meta().get("error.type"));
    }

    @Test
    void nonApplicationPathsAreNotTraced() {
        given().get("/q/status").then().statusCode(200).body(equalTo("ok"));
        given().get("/kitchen/orders/7").then().statusCode(200);

        // Requests are served in order; once the second one's trace is here, the first left none.
        traces.awaitTraces(1, Duration.ofSeconds(5));
        assertEquals(1, traces.spans().size(), names(traces.spans()));
        assertEquals("GET /kitchen/orders/{id}", traces.span("jax-rs.request").resource());
    }

    @Test
    void restClientCallIsAClientSpanContinuedByTheServer() {
        KitchenClient client = QuarkusRestClientBuilder.newBuilder().baseUri(baseUri).build(KitchenClient.class);
        try (Span span = tracer.trace("sandwich.order")) {
            assertEquals("bread+cheese+tomato", client.sandwich());
        }

        traces.awaitTraces(2, Duration.ofSeconds(5));
        FinishedSpan root = traces.span("sandwich.order");
        FinishedSpan clientSpan = traces.span("http.request");
        FinishedSpan server = traces.span("jax-rs.request");
        assertEquals("GET /kitchen/sandwich", clientSpan.resource());
        assertEquals("client", clientSpan.meta().get("span.kind"));
        assertEquals("200", clientSpan.meta().get("http.status_code"));
        assertEquals(root.spanId(), clientSpan.parentId());
        assertEquals(clientSpan.spanId(), server.parentId(), "the server continues the client's context");
        assertEquals(root.traceId(), server.traceId());
    }

    static String names(List<FinishedSpan> spans) {
        return spans.stream().map(s -> s.operationName() + " " + s.resource()).toList().toString();
    }
}
