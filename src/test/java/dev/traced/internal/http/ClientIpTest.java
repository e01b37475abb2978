package dev.traced.internal.http;

import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClientIpTest {

    private static final ClientIp DEFAULT = new ClientIp(true, null);

    private static String resolve(ClientIp clientIp, Map<String, String> headers, String peer) {
        return clientIp.resolve(headers::get, peer);
    }

    @Test
    void theFirstPublicAddressOfTheProxyHeadersWins() {
        assertEquals("203.0.113.7", resolve(DEFAULT,
                Map.of("x-forwarded-for", "10.0.0.1, 203.0.113.7:8080, 198.51.100.1"), "127.0.0.1"));
        assertEquals("198.51.100.2", resolve(DEFAULT,
                Map.of("x-forwarded-for", "192.168.1.1", "x-real-ip", "198.51.100.2"), null));
        assertEquals("2001:db8:0:0:0:0:0:1", resolve(DEFAULT,
                Map.of("forwarded", "for=\"[2001:db8::1]:4711\";proto=https, for=10.1.1.1"), null));
    }

    @Test
    void aPrivateAddressThenThePeerAreTheFallbacks() {
        assertEquals("10.0.0.1", resolve(DEFAULT, Map.of("x-forwarded-for", "10.0.0.1, 172.16.0.3"), "8.8.8.8"));
        assertEquals("8.8.8.8", resolve(DEFAULT, Map.of("x-forwarded-for", "unknown, not-an-ip.example.com"), "8.8.8.8"));
        assertNull(resolve(DEFAULT, Map.of(), "some-host-name"), "names are never resolved");
    }

    @Test
    void aCustomHeaderIsTheOnlyOneRead() {
        ClientIp custom = new ClientIp(true, "X-My-Ip");
        assertEquals("198.51.100.9", resolve(custom,
                Map.of("x-my-ip", "198.51.100.9", "x-forwarded-for", "203.0.113.1"), null));
        assertNull(resolve(custom, Map.of("x-forwarded-for", "203.0.113.1"), null));
    }

    @Test
    void garbageIsIgnored() {
        for (String bad : new String[] {"999.1.1.1", "1.2.3", "1.2.3.4.5", "::zz", "[::1", "\"\"", "1.2.3.-4",
            "x".repeat(100_000)}) {
            assertNull(ClientIp.parse(bad), bad.length() > 20 ? "long" : bad);
        }
        assertEquals("100.64.0.1", resolve(DEFAULT, Map.of("x-forwarded-for", "100.64.0.1"), null),
                "carrier-grade NAT counts as private, used only as a fallback");
    }

    @Test
    void tagsTheSpanOnlyWhenEnabled() {
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment().inMemory(traces).build()) {
            Span on = tracer.trace("on");
            ClientIp.from(Config.of(Map.of("dd.trace.client.ip.enabled", "true")))
                    .tag(on, Map.of("x-forwarded-for", "203.0.113.5")::get, null);
            on.finish();
            Span off = tracer.trace("off");
            ClientIp.from(Config.of(Map.of())).tag(off, Map.of("x-forwarded-for", "203.0.113.5")::get, null);
            off.finish();
        }
        assertEquals("203.0.113.5", traces.span("on").meta().get("http.client_ip"));
        assertNull(traces.span("off").meta().get("http.client_ip"));
    }
}
