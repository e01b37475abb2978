package dev.traced.internal.correlation;

import org.apache.logging.log4j.core.impl.ThreadContextDataInjector;
import org.apache.logging.log4j.core.util.ContextDataProvider;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.apache.logging.log4j.util.StringMap;

import java.util.Map;

/**
 * Log4j 2's hook: a {@code ContextDataProvider} (META-INF/services), which Log4j asks for context data
 * each time it creates a log event, on the logging thread, and merges into the event's context data
 * beside the {@code ThreadContext}. It supplies the ids of the active span, nothing when none is
 * active. Loaded by Log4j's {@code ServiceLoader}, or after a check that Log4j is present.
 */
public final class Log4jCorrelation implements ContextDataProvider {

    private static final StringMap EMPTY = frozen(new SortedArrayStringMap(0));

    /** Set when Log4j loaded this provider: then the ids reach its events. */
    private static volatile boolean loaded;

    public Log4jCorrelation() {
        loaded = true;
    }

    /** True when Log4j has loaded the provider (it loads them when its context data injector starts). */
    static boolean providerLoaded() {
        ThreadContextDataInjector.initServiceProviders();
        return loaded;
    }

    @Override
    public Map<String, String> supplyContextData() {
        return supplyStringMap().toMap();
    }

    @Override
    public StringMap supplyStringMap() {
        LogIds ids = LogCorrelation.activeIds();
        if (ids == null) {
            return EMPTY;
        }
        SortedArrayStringMap map = new SortedArrayStringMap(LogIds.KEYS.length);
        for (String key : LogIds.KEYS) {
            String value = ids.get(key);
            if (value != null) {
                map.putValue(key, value);
            }
        }
        return frozen(map);
    }

    private static StringMap frozen(StringMap map) {
        map.freeze();
        return map;
    }
}
