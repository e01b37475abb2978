package dev.traced.core;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.TracerBuilder;
import dev.traced.internal.config.Config;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

    @Test
    void readsMicroProfileConfigWhenPresent() {
        assertEquals("mp-value", Config.load(Map.of()).raw("traced.test.from-mp"));
    }

    @Test
    void overridesWinOverSystemProperties() {
        System.setProperty("dd.test.precedence", "sysprop");
        try {
            assertEquals("sysprop", Config.load(Map.of()).raw("dd.test.precedence"));
            assertEquals("override", Config.load(Map.of("dd.test.precedence", "override")).raw("dd.test.precedence"));
        } finally {
            System.clearProperty("dd.test.precedence");
        }
    }

    @Test
    void environmentNamesFollowDatadogConvention() {
        String path = Config.load(Map.of()).raw("path");
        assertEquals(System.getenv("PATH"), path, "dd.x.y is looked up as DD_X_Y, so path is PATH");
    }

    @Test
    void badValuesFallBackToDefaults() {
        Config config = Config.of(Map.of("int", "lots", "bool", "maybe", "dbl", "NaN", "big", "999999",
                "blank", "   "));
        assertEquals(7, config.getInt("int", 7, 0, 100));
        assertTrue(config.getBoolean("bool", true));
        assertEquals(0.5, config.getDouble("dbl", 0.5, 0, 1));
        assertEquals(100, config.getInt("big", 7, 0, 100), "out of range is clamped");
        assertNull(config.raw("blank"), "blank counts as unset");
        assertEquals(Duration.ofMillis(1500), Config.of(Map.of("s", "1.5")).getSeconds("s", Duration.ZERO,
                Duration.ZERO, Duration.ofMinutes(1)));
    }

    @Test
    void tagListsParseLikeDdTags() {
        Config config = Config.of(Map.of("a", "layer:api, team:intake,broken,:nokey", "b", "k1:v1 k2:v2",
                "c", "url:http://x:8080/y"));
        assertEquals(Map.of("layer", "api", "team", "intake"), config.getMap("a"));
        assertEquals(Map.of("k1", "v1", "k2", "v2"), config.getMap("b"));
        assertEquals(Map.of("url", "http://x:8080/y"), config.getMap("c"), "only the first colon splits");
        assertEquals(List.of("x", "y"), Config.of(Map.of("l", " x, ,y ")).getList("l"));
    }

    @Test
    void serviceEnvVersionAndTagsReachSpans() {
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config(Map.of("dd.service", "shop", "dd.env", "prod", "dd.version", "2.0",
                        "dd.tags", "team:lunch,region:eu"))
                .inMemory(traces).build()) {
            tracer.trace("op").finish();
        }
        FinishedSpan span = traces.spans().get(0);
        assertEquals("shop", span.service());
        assertEquals("prod", span.meta().get("env"));
        assertEquals("2.0", span.meta().get("version"));
        assertEquals("lunch", span.meta().get("team"));
        assertEquals("eu", span.meta().get("region"));
    }

    @Test
    void envAndVersionFromDdTagsWhenNotSetThemselves() {
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.tags", "env:staging,version:7").inMemory(traces).build()) {
            tracer.trace("op").finish();
        }
        assertEquals("staging", traces.spans().get(0).meta().get("env"));
        assertEquals("7", traces.spans().get(0).meta().get("version"));
    }

    @Test
    void wrongTypesInTracerConfigNeverFailTheTracer() {
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config(Map.of("dd.trace.enabled", "sometimes", "dd.trace.partial.flush.min.spans", "-5",
                        "dd.trace.shutdown.timeout", "soon", "dd.tags", ",,,"))
                .inMemory(traces).build()) {
            tracer.trace("op").finish();
        }
        assertEquals(1, traces.spans().size(), "an unparsable dd.trace.enabled keeps the default (enabled)");
    }
}
