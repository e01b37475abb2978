package dev.traced.internal.cdi;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a runtime such as Quarkus hands the tracer when {@link TracerHolder} builds it: settings that
 * win over MicroProfile Config, system properties and the environment, and the runtime's own
 * scheduled executor for the writer. A runtime produces one as a CDI bean; without one the holder
 * reads the configuration itself and looks the container's executor up in JNDI.
 *
 * @param overrides settings by their dd-trace-java names ({@code dd.trace.enabled}, ...)
 * @param scheduler the runtime's managed scheduled executor, or null to look one up
 */
public record ContainerSettings(Map<String, String> overrides, ScheduledExecutorService scheduler) {

    public ContainerSettings {
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }
}
