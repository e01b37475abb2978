package dev.traced.examples.sandwich;

import dev.traced.DoNotTrace;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** {@code GET /health}: a health check, excluded from tracing with {@code @DoNotTrace}. */
@ApplicationScoped
@DoNotTrace
@Path("/health")
public class HealthResource {

    @GET
    public String health() {
        return "ok";
    }
}
