package dev.traced.compat.shop;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** A health check, excluded from tracing by {@code dd.trace.resources.ignore} on the server. */
@Path("/health")
public class HealthResource {

    @GET
    public String health() {
        return "ok";
    }
}
