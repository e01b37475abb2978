package dev.traced.internal.propagation;

import dev.traced.internal.trace.SpanLinkData;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Span links to contexts that lost the extraction (another trace id than the winner), recorded on
 * the local root as dd-trace-java does ({@code reason=terminated_context}, {@code context_headers=<style>},
 * the tracestate as received, the flags from the sampling priority) and sent, like every span link,
 * in the span's {@code span_links}.
 */
final class SpanLinks {

    private SpanLinks() {
    }

    /** The link to a context that lost; made at once (the context may be the thread's reused one). */
    static SpanLinkData of(Extracted link) {
        Map<String, String> attributes = new LinkedHashMap<>(4);
        attributes.put("reason", "terminated_context");
        attributes.put("context_headers", link.style);
        return new SpanLinkData(link.traceIdHigh, link.traceIdLow, link.spanId,
                Collections.unmodifiableMap(attributes),
                link.fullTraceState, SpanLinkData.flagsOf(link.samplingPriority));
    }
}
