package dev.traced.internal.trace;

import dev.traced.internal.config.Config;

import java.util.UUID;

/**
 * The tracer-wide values every span is written with. Immutable.
 *
 * @param service              {@code dd.service}, default {@code unnamed-java-app}
 * @param env                  {@code dd.env}, or null
 * @param version              {@code dd.version}, or null
 * @param runtimeId            a UUID for this tracer instance ({@code runtime-id})
 * @param processId            this JVM's pid ({@code process_id})
 * @param partialFlushMinSpans finished spans of an open trace that trigger a partial flush
 */
public record TraceSettings(String service, String env, String version, String runtimeId, long processId,
                            int partialFlushMinSpans) {

    public static final String DEFAULT_SERVICE = "unnamed-java-app";

    public static TraceSettings from(Config config) {
        java.util.Map<String, String> tags = config.getMap("dd.tags");
        String env = config.getString("dd.env", tags.get("env"));
        String version = config.getString("dd.version", tags.get("version"));
        return new TraceSettings(
                config.getString("dd.service", DEFAULT_SERVICE),
                env,
                version,
                UUID.randomUUID().toString(),
                ProcessHandle.current().pid(),
                config.getBoolean("dd.trace.partial.flush.enabled", true)
                        ? config.getInt("dd.trace.partial.flush.min.spans", 1000, 1, 1_000_000)
                        : Integer.MAX_VALUE);
    }
}
