package dev.traced.internal.context;

import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;

import java.util.List;

/**
 * The active span of each open tracer on the thread that submitted a task (or none, for a cleared
 * context), to make active on the thread that runs it. The runner's own active spans are set aside
 * while the task runs and come back after it.
 */
final class CapturedContext {

    private static final RateLimitedLog LOG = RateLimitedLog.of(CapturedContext.class);
    private static final CapturedContext EMPTY = new CapturedContext(new CoreTracer[0], new CoreSpan[0]);

    private final CoreTracer[] tracers;
    /** The span to make active for each tracer; null entries clear it. */
    private final CoreSpan[] spans;

    private CapturedContext(CoreTracer[] tracers, CoreSpan[] spans) {
        this.tracers = tracers;
        this.spans = spans;
    }

    /** The calling thread's active spans. */
    static CapturedContext current() {
        List<CoreTracer> open = OpenTracers.all();
        CoreTracer[] tracers = open.toArray(new CoreTracer[0]);
        CoreSpan[] spans = new CoreSpan[tracers.length];
        for (int i = 0; i < tracers.length; i++) {
            spans[i] = tracers[i].activeSpan();
        }
        return new CapturedContext(tracers, spans);
    }

    /** No active span, whatever the running thread had. */
    static CapturedContext cleared() {
        List<CoreTracer> open = OpenTracers.all();
        if (open.isEmpty()) {
            return EMPTY;
        }
        CoreTracer[] tracers = open.toArray(new CoreTracer[0]);
        return new CapturedContext(tracers, new CoreSpan[tracers.length]);
    }

    /** Makes the captured spans active on this thread; the returned scope puts the thread's own back. */
    Scope begin() {
        Object[] tokens = new Object[tracers.length];
        for (int i = 0; i < tracers.length; i++) {
            try {
                tokens[i] = tracers[i].enterContext(spans[i]);
            } catch (RuntimeException e) {
                LOG.warn("context-begin", e, "could not make a propagated span active");
            }
        }
        return new Scope(tracers, tokens);
    }

    /** Ends a {@link #begin}, on the same thread. */
    static final class Scope {
        private final CoreTracer[] tracers;
        private final Object[] tokens;
        private boolean ended;

        private Scope(CoreTracer[] tracers, Object[] tokens) {
            this.tracers = tracers;
            this.tokens = tokens;
        }

        void end() {
            if (ended) {
                throw new IllegalStateException("context already ended");
            }
            ended = true;
            for (int i = tracers.length - 1; i >= 0; i--) {
                try {
                    tracers[i].exitContext(tokens[i]);
                } catch (RuntimeException e) {
                    LOG.warn("context-end", e, "could not restore the active span after a task");
                }
            }
        }
    }
}
