package dev.traced;

import java.util.List;

/**
 * Listed in the test resources' META-INF/services: every test tracer loads it, so it only touches
 * spans that ask for it with the {@code test.service-loader} tag.
 */
public class ServiceLoadedProcessor implements TraceProcessor {

    @Override
    public List<? extends MutableSpan> process(List<MutableSpan> trace) {
        for (MutableSpan span : trace) {
            if (span.meta().containsKey("test.service-loader")) {
                span.setTag("service.loader.saw", "yes");
            }
        }
        return trace;
    }
}
