package dev.traced.compat.shop;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The shop's JAX-RS application: every resource and provider of the war, found by scanning. */
@ApplicationPath("/api")
public class ShopApplication extends Application {
}
