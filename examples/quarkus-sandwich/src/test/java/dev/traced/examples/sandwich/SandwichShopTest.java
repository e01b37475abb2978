package dev.traced.examples.sandwich;

import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SandwichShopTest {

    @Inject
    InMemoryTraces traces;

    @BeforeEach
    void clear() {
        traces.clear();
    }

    @Test
    void aSandwichRequestIsOneTraceWithTheKitchensSpans() {
        given().get("/sandwich").then().statusCode(200).body(equalTo("bread+cheese+tomato"));

        List<FinishedSpan> trace = traces.awaitTraces(1, Duration.ofSeconds(5)).get(0);
        assertEquals(4, trace.size(), trace.toString());
        FinishedSpan request = traces.span("jax-rs.request");
        assertEquals("GET /sandwich", request.resource());
        assertEquals("sandwich-shop", request.service());
        assertEquals("dev", request.meta().get("env"));
        assertEquals("200", request.meta().get("http.status_code"));
        FinishedSpan make = traces.span("sandwich.make");
        assertEquals(request.spanId(), make.parentId());
        FinishedSpan ingredients = traces.span("Kitchen.getIngredients");
        FinishedSpan assemble = traces.span("assemble_sandwich");
        assertEquals("sandwich-shop", make.service());
        assertEquals("bread+cheese+tomato", make.meta().get("sandwich"));
        assertEquals("my-sandwich-making-svc", ingredients.service());
        assertEquals("resource_name", assemble.resource());
        assertEquals("3", assemble.tag("sandwich.ingredients"));
        assertEquals(make.spanId(), ingredients.parentId());
        assertEquals(make.spanId(), assemble.parentId());
        assertTrue(trace.containsAll(List.of(request, make, ingredients, assemble)));
    }

    @Test
    void aBadIngredientMarksTheSpanAsAnError() {
        given().queryParam("with", "bread,glue").get("/sandwich/custom").then().statusCode(500);

        traces.awaitTraces(1, Duration.ofSeconds(5));
        FinishedSpan assemble = traces.span("assemble_sandwich");
        assertTrue(assemble.isError());
        assertEquals("not a sandwich ingredient: glue", assemble.meta().get("error.message"));
        FinishedSpan request = traces.span("jax-rs.request");
        assertEquals("GET /sandwich/custom", request.resource());
        assertTrue(request.isError());
        assertEquals("500", request.meta().get("http.status_code"));
        assertEquals(IllegalArgumentException.class.getName(), request.meta().get("error.type"));
    }
}
