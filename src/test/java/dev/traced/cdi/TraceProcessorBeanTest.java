package dev.traced.cdi;

import dev.traced.InMemoryTraces;
import dev.traced.MutableSpan;
import dev.traced.TraceProcessor;
import dev.traced.Tracer;
import dev.traced.internal.cdi.TracerHolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldJunit5Extension;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A trace processor that is a CDI bean is found by the tracer. */
@ExtendWith(WeldJunit5Extension.class)
class TraceProcessorBeanTest {

    static final InMemoryTraces TRACES = new InMemoryTraces();

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(TracerHolder.class, TeamTagger.class, TraceProcessorBeanTest.class).build();

    @Inject
    Tracer tracer;

    @Produces
    @ApplicationScoped
    InMemoryTraces traces() {
        TRACES.clear();
        return TRACES;
    }

    @ApplicationScoped
    public static class TeamTagger implements TraceProcessor {
        @Override
        public List<? extends MutableSpan> process(List<MutableSpan> trace) {
            trace.forEach(span -> span.setTag("team", "sandwiches"));
            return trace;
        }
    }

    @Test
    void theBeanSeesEachTrace() {
        tracer.trace("make.sandwich").finish();
        assertEquals("sandwiches", TRACES.span("make.sandwich").meta().get("team"));
    }
}
