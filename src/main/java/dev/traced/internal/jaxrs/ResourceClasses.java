package dev.traced.internal.jaxrs;

/**
 * What makes a class a Jakarta REST resource, by annotation name: the CDI extensions that bind
 * {@link TracedResource} must not name {@code jakarta.ws.rs.Path} as a class, since CDI containers
 * resolve the classes an extension names while they boot, and an application without Jakarta REST
 * would then fail to start.
 */
final class ResourceClasses {

    /** {@code jakarta.ws.rs.Path}, on a root resource class or on a resource (locator) method. */
    static final String PATH = "jakarta.ws.rs.Path";

    private ResourceClasses() {
    }
}
