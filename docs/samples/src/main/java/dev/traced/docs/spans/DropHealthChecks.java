package dev.traced.docs.spans;

import dev.traced.MutableSpan;
import dev.traced.TraceProcessor;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** creating-spans.md, Trace processors. */
// tag::trace-processor[]
@ApplicationScoped
public class DropHealthChecks implements TraceProcessor {
    @Override
    public List<? extends MutableSpan> process(List<MutableSpan> trace) {
        for (MutableSpan span : trace) {
            if (span.isLocalRoot() && "GET /health".equals(span.resource())) {
                return List.of();                      // drop the whole trace
            }
            span.setTag("team", "checkout");           // or setService, setResource, setError...
        }
        return trace;
    }
}
// end::trace-processor[]
