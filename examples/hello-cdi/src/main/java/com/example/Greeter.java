package com.example;

import dev.traced.Traced;
import jakarta.enterprise.context.ApplicationScoped;

// tag::greeter[]
@ApplicationScoped
public class Greeter {

    @Traced
    public String greet(String name) {
        return "Hello, " + name;
    }
}
// end::greeter[]
