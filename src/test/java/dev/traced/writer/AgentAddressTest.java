package dev.traced.writer;

import dev.traced.internal.config.Config;
import dev.traced.internal.transport.AgentAddress;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AgentAddressTest {

    private static AgentAddress resolve(Map<String, String> values) {
        return AgentAddress.fromConfig(Config.of(values));
    }

    @Test
    void urlWinsOverHostAndPort() {
        AgentAddress address = resolve(Map.of("dd.trace.agent.url", "http://agent.local:9126",
                "dd.agent.host", "ignored", "dd.trace.agent.port", "1"));
        assertEquals(URI.create("http://agent.local:9126"), address.httpBase());
        assertNull(address.socket());
    }

    @Test
    void unixUrlIsASocket() {
        AgentAddress address = resolve(Map.of("dd.trace.agent.url", "unix:///tmp/dd/apm.socket"));
        assertEquals(Path.of("/tmp/dd/apm.socket"), address.socket());
        assertNull(address.httpBase());
    }

    @Test
    void hostAndPortWithDefaults() {
        assertEquals(URI.create("http://10.0.0.5:8126"), resolve(Map.of("dd.agent.host", "10.0.0.5")).httpBase());
        assertEquals(URI.create("http://[::1]:7777"),
                resolve(Map.of("dd.agent.host", "::1", "dd.trace.agent.port", "7777")).httpBase());
    }

    @Test
    void badValuesFallBackToDefaults() {
        AgentAddress address = resolve(Map.of("dd.trace.agent.url", "ftp://nope", "dd.trace.agent.port", "x",
                "dd.agent.host", "localhost", "dd.trace.agent.timeout", "soon"));
        assertEquals(URI.create("http://localhost:8126"), address.httpBase());
        assertEquals(Duration.ofSeconds(10), address.timeout());
    }

    @Test
    void timeoutIsConfigurable() {
        assertEquals(Duration.ofMillis(500), resolve(Map.of("dd.trace.agent.timeout", "0.5")).timeout());
    }
}
