package dev.traced.examples.sandwich;

import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The JAX-RS application. The tracing filters are not listed: the library registers them itself. */
public class ShopApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ShopResource.class, BakeryResource.class, HealthResource.class, KitchenErrorMapper.class);
    }
}
