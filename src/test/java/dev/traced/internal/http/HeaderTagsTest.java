package dev.traced.internal.http;

import dev.traced.CloseableTracer;
import dev.traced.FinishedSpan;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderTagsTest {

    private static Function<String, String> headers(Map<String, String> values) {
        return name -> {
            for (Map.Entry<String, String> entry : values.entrySet()) {
                if (entry.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                    return entry.getValue();
                }
            }
            return null;
        };
    }

    private static FinishedSpan tagged(HeaderTags tags, Map<String, String> request, Map<String, String> response) {
        InMemoryTraces traces = new InMemoryTraces();
        try (CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment().inMemory(traces).build()) {
            Span span = tracer.trace("servlet.request");
            tags.tagRequest(span, headers(request));
            tags.tagResponse(span, headers(response));
            span.finish();
        }
        return traces.span("servlet.request");
    }

    @Test
    void namedAndUnnamedHeadersBecomeTags() {
        HeaderTags tags = HeaderTags.from(Config.of(Map.of("dd.trace.header.tags",
                " X-Request-Id:request.id , User-Agent,X-Odd.Header ,:nothing,, ")));
        FinishedSpan span = tagged(tags,
                Map.of("x-request-id", "abc", "User-Agent", " curl/8 ", "X-Odd.Header", "1"),
                Map.of("X-Request-Id", "resp-abc", "user-agent", "server"));
        assertEquals("resp-abc", span.meta().get("request.id"), "a named tag takes the response's value last");
        assertEquals("curl/8", span.meta().get("http.request.headers.user-agent"));
        assertEquals("1", span.meta().get("http.request.headers.x-odd_header"));
        assertEquals("server", span.meta().get("http.response.headers.user-agent"));
        assertNull(span.meta().get("http.response.headers.x-odd_header"), "absent headers add nothing");
    }

    @Test
    void directionSpecificSettings() {
        HeaderTags tags = HeaderTags.from(Config.of(Map.of("dd.trace.request.header.tags", "accept",
                "dd.trace.response.header.tags", "content-type:resp.type")));
        FinishedSpan span = tagged(tags, Map.of("accept", "text/plain", "content-type", "req"),
                Map.of("accept", "nope", "content-type", "application/json"));
        assertEquals("text/plain", span.meta().get("http.request.headers.accept"));
        assertNull(span.meta().get("http.response.headers.accept"));
        assertEquals("application/json", span.meta().get("resp.type"));
    }

    @Test
    void hugeValuesAreCutAndAFailingLookupIsIgnored() {
        HeaderTags tags = HeaderTags.from(Config.of(Map.of("dd.trace.header.tags", "x-big,x-bad")));
        String big = "x".repeat(HeaderTags.MAX_VALUE_CHARS * 3);
        FinishedSpan span = tagged(tags, Map.of("x-big", big), Map.of());
        assertEquals(HeaderTags.MAX_VALUE_CHARS, span.meta().get("http.request.headers.x-big").length());
        tags.tagRequest(null, name -> "v");
        tags.tagRequest(tracerlessSpan(), name -> {
            throw new IllegalStateException("broken header map");
        });
    }

    @Test
    void emptyWhenUnset() {
        assertTrue(HeaderTags.from(Config.of(Map.of())).isEmpty());
        assertFalse(HeaderTags.from(Config.of(Map.of("dd.trace.header.tags", "a"))).isEmpty());
    }

    private static Span tracerlessSpan() {
        return dev.traced.internal.trace.NoopTracer.INSTANCE.trace("noop");
    }
}
