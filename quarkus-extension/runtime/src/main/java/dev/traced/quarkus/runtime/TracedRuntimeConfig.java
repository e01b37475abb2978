package dev.traced.quarkus.runtime;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Quarkus-style switches of the traced extension. Everything else is configured with the
 * dd-trace-java keys ({@code dd.service}, {@code dd.env}, {@code dd.trace.agent.url}, ...) in
 * {@code application.properties}, system properties or the environment.
 */
@ConfigMapping(prefix = "quarkus.traced")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface TracedRuntimeConfig {

    /**
     * Whether the application is traced. When false, {@code @Traced} methods, REST requests and
     * {@code Tracer} calls create no spans and nothing is sent (the same as {@code dd.trace.enabled=false}).
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * Whether requests to Quarkus' non-application endpoints ({@code /q/*}: health, metrics, Dev UI,
     * OpenAPI) are left untraced. When true their path is added to {@code dd.trace.resources.ignore},
     * next to whatever that key already lists.
     */
    @WithDefault("true")
    boolean suppressNonApplicationUris();
}
