package dev.traced.examples.sandwich;

import dev.traced.Traced;
import jakarta.enterprise.context.ApplicationScoped;

/** The README's WildFly start (with {@link HelloResource}): the integration test checks its trace reaches the Agent. */
// tag::greeter[]
@ApplicationScoped
public class Greeter {

    @Traced
    public String greet(String name) {
        return "Hello, " + name;
    }
}
// end::greeter[]
