package dev.traced.quarkus.deployment;

import dev.traced.Span;
import dev.traced.Tracer;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Edited by {@link TracedDevModeTest} between requests: each edit is a live reload. */
@Path("/generation")
public class DevModeResource {

    @Inject
    Tracer tracer;

    @GET
    public String generation() {
        try (Span span = tracer.trace("dev.generation")) {
            span.setTag("generation", "v1");
        }
        return "v1";
    }
}
