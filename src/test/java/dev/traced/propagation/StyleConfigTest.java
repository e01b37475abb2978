package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static dev.traced.propagation.Carrier.extract;
import static dev.traced.propagation.Carrier.headers;
import static dev.traced.propagation.Carrier.inject;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code dd.trace.propagation.style}, {@code .style.inject} and {@code .style.extract}. */
class StyleConfigTest {

    /** Headers of all styles for one trace; which one is read shows in the extracted trace id. */
    private static final Map<String, String> ALL_STYLES = headers(
            "x-datadog-trace-id", "1", "x-datadog-parent-id", "1",
            "traceparent", "00-00000000000000000000000000000002-0000000000000001-01",
            "x-b3-traceid", "0000000000000003", "x-b3-spanid", "0000000000000001",
            "b3", "0000000000000004-0000000000000001");

    @ParameterizedTest(name = "style=[{0}] inject=[{1}] extract=[{2}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        // style                         | inject          | extract        | headers injected                      | trace read
        "NULL                            | NULL            | NULL           | x-datadog-trace-id traceparent        | 1",
        "tracecontext                    | NULL            | NULL           | traceparent                           | 2",
        "TraceContext, DATADOG           | NULL            | NULL           | traceparent x-datadog-trace-id        | 2",
        "b3                              | NULL            | NULL           | x-b3-traceid                          | 3",
        "B3 single header                | NULL            | NULL           | b3                                    | 4",
        "b3single,b3multi                | NULL            | NULL           | b3 x-b3-traceid                       | 4",
        "xray,haystack,datadog           | NULL            | NULL           | x-datadog-trace-id                    | 1",
        "datadog,datadog                 | NULL            | NULL           | x-datadog-trace-id                    | 1",
        "datadog                         | b3multi         | NULL           | x-b3-traceid                          | 1",
        "datadog                         | NULL            | tracecontext   | x-datadog-trace-id                    | 2",
        "tracecontext                    | none            | b3             | ''                                    | 3",
        "none                            | NULL            | NULL           | ''                                    | 0",
        "bogus                           | NULL            | NULL           | ''                                    | 0",
    })
    void choosesStylesPerDirection(String style, String injectStyle, String extractStyle, String injected,
                                   long traceRead) {
        String[] settings = {"dd.trace.propagation.style", style, "dd.trace.propagation.style.inject", injectStyle,
            "dd.trace.propagation.style.extract", extractStyle};
        try (CloseableTracer tracer = Carrier.tracer(settings)) {
            Span span = tracer.trace("client");
            Map<String, String> headers = inject(tracer, span.context());
            span.finish();
            String names = headers.keySet().stream()
                    .filter(name -> name.equals("x-datadog-trace-id") || name.equals("traceparent")
                            || name.equals("x-b3-traceid") || name.equals("b3"))
                    .reduce((a, b) -> a + " " + b).orElse("");
            assertEquals(injected, names);
            var context = extract(tracer, ALL_STYLES);
            assertEquals(traceRead, context == null ? 0 : Long.parseLong(context.traceId(), 16));
        }
    }
}
