package dev.traced.docs.jaxrs;

import dev.traced.Traced;
import jakarta.enterprise.context.ApplicationScoped;

/** README and jaxrs.md: a traced bean (the same class as in examples/hello-cdi). */
// tag::greeter[]
@ApplicationScoped
public class Greeter {

    @Traced
    public String greet(String name) {
        return "Hello, " + name;
    }
}
// end::greeter[]
