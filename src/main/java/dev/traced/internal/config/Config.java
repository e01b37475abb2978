package dev.traced.internal.config;

import dev.traced.internal.log.RateLimitedLog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tracer's settings, under dd-trace-java's names ({@code dd.service}, {@code DD_SERVICE}, ...).
 *
 * <p>Each key is looked up in order: explicit overrides (from {@code TracerBuilder} or a runtime
 * such as Quarkus), MicroProfile Config when it is on the class path, system properties, then
 * environment variables ({@code dd.trace.agent.url} is {@code DD_TRACE_AGENT_URL}). A value that does
 * not parse is logged once and the default is used: configuration never fails the application.
 */
public final class Config {

    private static final RateLimitedLog LOG = RateLimitedLog.of(Config.class);

    private final Map<String, String> overrides;
    private final Function<String, String> microProfile;
    private final Function<String, String> systemProperties;
    private final Function<String, String> environment;

    private Config(Map<String, String> overrides, Function<String, String> microProfile,
                   Function<String, String> systemProperties, Function<String, String> environment) {
        this.overrides = Map.copyOf(overrides);
        this.microProfile = microProfile;
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /** Settings from the overrides, then MicroProfile Config, system properties and the environment. */
    public static Config load(Map<String, String> overrides) {
        return new Config(overrides, MicroProfileConfigLookup.find(), System::getProperty, System::getenv);
    }

    /** Settings from the given map only: for tests and for runtimes that resolve config themselves. */
    public static Config of(Map<String, String> values) {
        return new Config(values, key -> null, key -> null, key -> null);
    }

    /** The raw value of a key, or null when no source has it (blank counts as absent). */
    public String raw(String key) {
        String value = rawOrEmpty(key);
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * As {@link #raw}, but a key set to an empty value gives {@code ""}: for the few settings where
     * empty means something ({@code dd.trace.obfuscation.query.string.regexp=""} turns obfuscation off).
     */
    public String rawOrEmpty(String key) {
        String value = overrides.get(key);
        if (value == null) {
            value = microProfile.apply(key);
        }
        if (value == null) {
            value = systemProperties.apply(key);
        }
        if (value == null) {
            value = environment.apply(toEnvironmentName(key));
        }
        return value == null ? null : value.trim();
    }

    static String toEnvironmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String getString(String key, String defaultValue) {
        String value = raw(key);
        return value == null ? defaultValue : value;
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equals("1")) {
            return true;
        }
        if (value.equalsIgnoreCase("false") || value.equals("0")) {
            return false;
        }
        return invalid(key, value, "true or false", defaultValue);
    }

    /** An integer clamped to [min, max]; out-of-range values are clamped with a log line. */
    public int getInt(String key, int defaultValue, int min, int max) {
        return (int) getLong(key, defaultValue, min, max);
    }

    public long getLong(String key, long defaultValue, long min, long max) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            return invalid(key, value, "a whole number", defaultValue);
        }
        return clamp(key, parsed, min, max);
    }

    public double getDouble(String key, double defaultValue, double min, double max) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return invalid(key, value, "a number", defaultValue);
        }
        if (Double.isNaN(parsed)) {
            return invalid(key, value, "a number", defaultValue);
        }
        if (parsed < min || parsed > max) {
            double clamped = Math.max(min, Math.min(max, parsed));
            LOG.warn("config-range:" + key, "%s=%s is outside [%s, %s]; using %s", key, value, min, max, clamped);
            return clamped;
        }
        return parsed;
    }

    /**
     * A duration in seconds as dd-trace-java writes it ({@code 1}, {@code 0.5}), clamped to
     * [min, max].
     */
    public Duration getSeconds(String key, Duration defaultValue, Duration min, Duration max) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        double seconds = getDouble(key, defaultValue.toNanos() / 1e9, min.toNanos() / 1e9, max.toNanos() / 1e9);
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /** A comma-separated list; empty when unset. */
    public List<String> getList(String key) {
        String value = raw(key);
        if (value == null) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return Collections.unmodifiableList(items);
    }

    /**
     * A {@code key:value} list as dd-trace-java reads {@code DD_TAGS}: separated by commas (or, when
     * there is no comma, by spaces); an entry without a colon or with an empty key is skipped.
     */
    public Map<String, String> getMap(String key) {
        String value = raw(key);
        if (value == null) {
            return Map.of();
        }
        String separator = value.indexOf(',') >= 0 ? "," : " ";
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : value.split(separator)) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                LOG.warn("config-map:" + key, "%s: ignoring entry '%s' (expected key:value)", key, trimmed);
                continue;
            }
            map.put(trimmed.substring(0, colon).trim(), trimmed.substring(colon + 1).trim());
        }
        return Collections.unmodifiableMap(map);
    }

    /** All overrides, for runtimes that pass their own configuration through. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /** A copy of this configuration with more overrides on top. */
    public Config with(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(overrides);
        merged.putAll(more);
        return new Config(merged, microProfile, systemProperties, environment);
    }

    private static <T> T invalid(String key, String value, String expected, T defaultValue) {
        LOG.warn("config-invalid:" + key, "%s='%s' is not %s; using the default %s", key, value, expected, defaultValue);
        return defaultValue;
    }

    private static long clamp(String key, long value, long min, long max) {
        if (value < min || value > max) {
            long clamped = Math.max(min, Math.min(max, value));
            LOG.warn("config-range:" + key, "%s=%d is outside [%d, %d]; using %d", key, value, min, max, clamped);
            return clamped;
        }
        return value;
    }

    /** Reads MicroProfile Config reflectively, so the library has no hard dependency on it. */
    static final class MicroProfileConfigLookup {
        static Function<String, String> find() {
            try {
                Class<?> provider = Class.forName("org.eclipse.microprofile.config.ConfigProvider",
                        false, contextLoader());
                Object config = provider.getMethod("getConfig").invoke(null);
                Class<?> configType = Class.forName("org.eclipse.microprofile.config.Config", false,
                        provider.getClassLoader());
                var getOptionalValue = configType.getMethod("getOptionalValue", String.class, Class.class);
                return key -> {
                    try {
                        Optional<?> value = (Optional<?>) getOptionalValue.invoke(config, key, String.class);
                        return value.map(Object::toString).orElse(null);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                };
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return key -> null;
            }
        }

        private static ClassLoader contextLoader() {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return loader != null ? loader : Config.class.getClassLoader();
        }
    }
}
