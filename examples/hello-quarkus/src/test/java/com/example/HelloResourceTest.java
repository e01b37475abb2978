package com.example;

import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the README's first screen promises for Quarkus: GET /hello sends a two-span trace to the Agent. */
@QuarkusTest
@QuarkusTestResource(AgentResource.class)
class HelloResourceTest {

    @Test
    void theReadmeApplicationSendsItsTraceToTheAgent() throws InterruptedException {
        given().when().get("/hello").then().statusCode(200).body(is("Hello, world"));

        TestAgent agent = AgentResource.agent();
        List<DecodedSpan> spans = agent.awaitSpans(2, Duration.ofSeconds(10));
        Map<String, DecodedSpan> byName = spans.stream()
                .collect(Collectors.toMap(DecodedSpan::name, Function.identity(), (a, b) -> a));
        DecodedSpan server = byName.get("jax-rs.request");
        DecodedSpan greet = byName.get("Greeter.greet");
        assertEquals("GET /hello", server.resource(), () -> "spans: " + spans);
        assertEquals("hello", server.service());
        assertEquals(server.spanId(), greet.parentId(), "Greeter.greet is a child of the server span");
        assertEquals(server.traceId(), greet.traceId());
        assertEquals(List.of(), agent.errors());
    }
}
