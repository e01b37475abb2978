package dev.traced.examples.sandwich;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The shop's REST API, at {@code /wildfly-sandwich/}. Resources are discovered by WildFly. */
@ApplicationPath("/")
public class SandwichShop extends Application {
}
