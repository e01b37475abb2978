package dev.traced.docs.jaxrs;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** README and jaxrs.md: the smallest traced resource (the same class as in examples/hello-quarkus). */
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
