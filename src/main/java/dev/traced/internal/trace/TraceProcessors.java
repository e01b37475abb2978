package dev.traced.internal.trace;

import dev.traced.MutableSpan;
import dev.traced.TraceProcessor;
import dev.traced.internal.log.RateLimitedLog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the application's {@link TraceProcessor}s over each finished chunk before it goes to the
 * writer. A processor that throws, or returns spans that are not the trace's, is logged (at most once
 * a minute) and skipped: the trace goes on as it was before it.
 */
final class TraceProcessors {

    private static final RateLimitedLog LOG = RateLimitedLog.of(TraceProcessors.class);

    private final TraceProcessor[] processors;

    TraceProcessors(List<TraceProcessor> processors) {
        this.processors = processors.stream().filter(p -> p != null).toArray(TraceProcessor[]::new);
    }

    /** The spans to write: the chunk itself when there are no processors; empty when one dropped it. */
    List<CoreSpan> apply(List<CoreSpan> chunk) {
        if (processors.length == 0) {
            return chunk;
        }
        List<MutableSpan> spans = new ArrayList<>(chunk.size());
        for (CoreSpan span : chunk) {
            spans.add(new ProcessedSpan(span));
        }
        for (TraceProcessor processor : processors) {
            List<MutableSpan> result = run(processor, spans);
            if (result.isEmpty()) {
                LOG.debug("processor-drop:" + processor.getClass().getName(),
                        "trace processor %s dropped a trace of %d spans", processor.getClass().getName(), spans.size());
                return List.of();
            }
            spans = result;
        }
        List<CoreSpan> out = new ArrayList<>(spans.size());
        for (MutableSpan span : spans) {
            out.add(((ProcessedSpan) span).span());
        }
        return out;
    }

    /** One processor's answer, reduced to spans of this trace; the input again when it failed. */
    private static List<MutableSpan> run(TraceProcessor processor, List<MutableSpan> spans) {
        List<? extends MutableSpan> returned;
        try {
            returned = processor.process(Collections.unmodifiableList(new ArrayList<>(spans)));
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("processor-failed:" + processor.getClass().getName(), e,
                    "trace processor %s failed; the trace is sent as it was", processor.getClass().getName());
            return spans;
        }
        if (returned == null) {
            return List.of();
        }
        Map<MutableSpan, Boolean> known = new IdentityHashMap<>(spans.size() * 2);
        for (MutableSpan span : spans) {
            known.put(span, Boolean.TRUE);
        }
        List<MutableSpan> kept = new ArrayList<>(returned.size());
        try {
            for (MutableSpan span : returned) {
                if (span != null && known.remove(span) != null) {
                    kept.add(span);
                } else if (span != null) {
                    LOG.warn("processor-foreign:" + processor.getClass().getName(),
                            "trace processor %s returned a span that is not from the trace (or twice); it is ignored",
                            processor.getClass().getName());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("processor-failed:" + processor.getClass().getName(), e,
                    "trace processor %s returned an unreadable list; the trace is sent as it was",
                    processor.getClass().getName());
            return spans;
        }
        return kept;
    }
}
