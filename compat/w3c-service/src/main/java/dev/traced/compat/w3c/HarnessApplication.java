package dev.traced.compat.w3c;

import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The service's only resource; traced's filters register themselves (its {@code META-INF/services} entries). */
public class HarnessApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(HarnessResource.class);
    }
}
