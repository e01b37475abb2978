package dev.traced.internal.jaxrs;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filters' small parts: status sets, query obfuscation, exclusion, routes and client paths. */
class JaxRsPartsTest {

    @Test
    void statusSetsParseRangesCodesAndSkipGarbage() {
        HttpStatuses statuses = HttpStatuses.parse("test", " 500-502 , 429,abc,700-600, 99, 404-");
        assertTrue(statuses.contains(500));
        assertTrue(statuses.contains(502));
        assertFalse(statuses.contains(503));
        assertTrue(statuses.contains(429));
        assertTrue(statuses.contains(650), "a reversed range is read the right way round");
        assertFalse(statuses.contains(99));
        assertFalse(statuses.contains(404));
        assertFalse(statuses.contains(-1));
        assertFalse(statuses.contains(100_000));
        assertEquals("503", HttpStatuses.text(503));
    }

    @Test
    void defaultObfuscationRedactsSecretsOnly() {
        QueryObfuscator obfuscator = QueryObfuscator.of(null);
        assertEquals("filling=ham&<redacted>&size=large", obfuscator.obfuscate("filling=ham&password=hunter2&size=large"));
        // As with Datadog's expression, the match starts at the secret word ("token"), not the key.
        assertEquals("<redacted>&access_<redacted>&<redacted>",
                obfuscator.obfuscate("api_key=1&access_token=abc&signature=xyz"));
        assertEquals("q=<redacted>", obfuscator.obfuscate(
                "q=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"));
        assertEquals("page=2&sort=name", obfuscator.obfuscate("page=2&sort=name"));
        assertNull(obfuscator.obfuscate(""));
        assertNull(obfuscator.obfuscate(null));
    }

    @Test
    void hostileQueryStringsAreBoundedAndNeverThrow() {
        QueryObfuscator obfuscator = QueryObfuscator.of(null);
        String huge = "password=" + "x".repeat(100_000);
        assertEquals("<redacted>", obfuscator.obfuscate(huge));
        String quotes = "{\"password\": \"" + "%2a".repeat(5_000);
        String result = obfuscator.obfuscate(quotes);
        assertTrue(result == null || result.length() <= QueryObfuscator.MAX_QUERY_CHARS);
    }

    @Test
    void customObfuscationAndFailClosed() {
        assertEquals("user=<redacted>", QueryObfuscator.of("(?<=user=)[^&]+").obfuscate("user=alice"));
        assertNull(QueryObfuscator.of("([unclosed").obfuscate("user=alice"), "a broken expression reports nothing");
    }

    @Test
    void exclusionIsUnanchoredAndSkipsBadExpressions() {
        ResourceExclusion exclusion = ResourceExclusion.of(List.of("^GET /health", "([bad", "metrics$"));
        assertTrue(exclusion.matchesResource("GET /health"));
        assertTrue(exclusion.matchesResource("GET /health/live"));
        assertFalse(exclusion.matchesResource("POST /health"));
        assertTrue(exclusion.matchesPath("/app/metrics"));
        assertFalse(exclusion.matchesPath("/metrics/cpu"));
        assertTrue(ResourceExclusion.of(List.of()).isEmpty());
    }

    @Test
    void routesJoinClassAndMethodPaths() {
        assertEquals("/sandwiches/{id}", ResourceRoute.join("/sandwiches", "{id}"));
        assertEquals("/sandwiches/{id}", ResourceRoute.join("sandwiches/", "/{id}/"));
        assertEquals("/sandwiches", ResourceRoute.join("/sandwiches", null));
        assertEquals("/", ResourceRoute.join("/", null));
        assertEquals("/", ResourceRoute.join(null, null));
    }

    @Test
    void clientPathsLoseTheirIdsButKeepVersions() {
        assertEquals("GET /users/?", ClientTracingFilter.resource("GET", "/users/123"));
        assertEquals("POST /v2/users/?/orders", ClientTracingFilter.resource("POST", "/v2/users/a1b2/orders"));
        assertEquals("GET /bread/rye", ClientTracingFilter.resource("GET", "/bread/rye"));
        assertEquals("GET /", ClientTracingFilter.resource("GET", ""));
        assertEquals("GET /", ClientTracingFilter.resource("GET", null));
        assertEquals("DELETE /?/", ClientTracingFilter.resource("DELETE", "/42/"));
        assertEquals("GET /?/v1.2/?", ClientTracingFilter.resource("GET", "/7/v1.2/x9"));
    }

    @Test
    void emptyObfuscationRegexpTurnsObfuscationOff() {
        QueryObfuscator off = QueryObfuscator.fromConfig(dev.traced.internal.config.Config.of(
                java.util.Map.of("dd.trace.obfuscation.query.string.regexp", "")));
        assertEquals("password=hunter2", off.obfuscate("password=hunter2"));
        QueryObfuscator unset = QueryObfuscator.fromConfig(dev.traced.internal.config.Config.of(java.util.Map.of()));
        assertEquals("<redacted>", unset.obfuscate("password=hunter2"));
    }
}
