package dev.traced.examples.sandwich;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Toasting happens on the server's managed executor: the {@code @Traced} steps that run there are
 * still children of this request's span, because the module registers a Jakarta Concurrency
 * thread-context provider that carries the active span across.
 */
@Path("/toaster")
@RequestScoped
public class ToasterResource {

    @Resource
    ManagedExecutorService executor;

    @Inject
    Kitchen kitchen;

    @GET
    @Path("/{kind}")
    @Produces(MediaType.TEXT_PLAIN)
    public String toast(@PathParam("kind") String kind)
            throws InterruptedException, ExecutionException, TimeoutException {
        return executor.submit(() -> "toasted " + kitchen.assembleSandwich(kitchen.getIngredients(kind)))
                .get(10, TimeUnit.SECONDS);
    }
}
