package dev.traced.docs.jaxrs;

import dev.traced.CloseableTracer;
import dev.traced.Tracer;
import dev.traced.TracerBuilder;
import dev.traced.TracingFeature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/** jaxrs.md and compatibility.md: registering the filters by hand with {@link TracingFeature}. */
final class ManualRegistration {

    private ManualRegistration() {
    }

    @ApplicationScoped
    static class InventoryClient {
        // tag::jaxrs-manual-client[]
        @Inject
        Tracer tracer;

        Client inventoryClient() {
            return ClientBuilder.newClient().register(new TracingFeature(tracer));   // or TracingFeature.class
        }
        // end::jaxrs-manual-client[]
    }

    // tag::jaxrs-manual-server[]
    @ApplicationPath("/api")
    public static class ShopApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(HelloResource.class, TracingFeature.class);
        }
    }
    // end::jaxrs-manual-server[]

    static String withoutCdi() {
        // tag::jaxrs-manual-builder[]
        try (CloseableTracer tracer = TracerBuilder.create().config("dd.service", "inventory-cli").build()) {
            Client client = ClientBuilder.newClient().register(new TracingFeature(tracer));
            return tracer.call("inventory.sync", span -> client.target("http://127.0.0.1:8080/stock")
                    .request().get(String.class));
        }
        // end::jaxrs-manual-builder[]
    }
}
