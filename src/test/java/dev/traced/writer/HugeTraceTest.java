package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.testagent.DecodedSpan;
import dev.traced.testagent.TestAgent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.traced.writer.WriterTestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trace far larger than the buffer cap is sent in several payloads, none much larger than the cap. */
class HugeTraceTest {

    @Test
    void hugeTraceIsSplitAtTheBufferCap() throws Exception {
        int cap = 1 << 16;
        int children = 3000;
        String big = "v".repeat(500);
        try (TestAgent agent = TestAgent.start()) {
            try (CloseableTracer tracer = WriterTestSupport.tracer(agent, Map.of(
                    "dd.trace.writer.buffer.size", Integer.toString(cap),
                    "dd.trace.partial.flush.enabled", "false",
                    "dd.trace.flush.interval", "5"))) {
                try (Span root = tracer.trace("huge")) {
                    for (int i = 0; i < children; i++) {
                        try (Span child = tracer.trace("child")) {
                            child.setTag("payload", big);
                        }
                    }
                }
                tracer.flush(WAIT);
            }
            List<DecodedSpan> spans = agent.awaitSpans(children + 1, WAIT);
            assertEquals(List.of(), agent.errors());
            assertEquals(children + 1, spans.size());
            List<TestAgent.Request> requests = agent.traceRequests();
            assertTrue(requests.size() >= 20, "split into many payloads: " + requests.size());
            for (TestAgent.Request request : requests) {
                assertTrue(request.bodyLength() <= cap + 2048, "payload of " + request.bodyLength() + " bytes");
                // Each part is a chunk of its own and carries the trace-level tags on its first span.
                for (List<DecodedSpan> chunk : request.traces()) {
                    assertTrue(chunk.get(0).meta().containsKey("_dd.p.tid"));
                }
            }
        }
    }
}
