package com.example;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

// tag::hello-resource[]
@Path("/hello")
public class HelloResource {

    @Inject
    Greeter greeter;

    @GET
    public String hello() {
        return greeter.greet("world");
    }
}
// end::hello-resource[]
