package dev.traced.internal.trace;

import dev.traced.internal.log.RateLimitedLog;

import java.util.Arrays;

/**
 * The active span of each thread, as a stack: starting a span pushes it, finishing the top pops it
 * (and any already finished spans under it), so finishing out of order never corrupts the stack.
 * Each thread touches only its own stack.
 */
final class ActiveSpans {

    private static final RateLimitedLog LOG = RateLimitedLog.of(ActiveSpans.class);
    /** Deeper nesting is almost surely spans that are never finished; they are not made active. */
    static final int MAX_DEPTH = 1024;

    private final ThreadLocal<Stack> stacks = ThreadLocal.withInitial(Stack::new);

    CoreSpan current() {
        return stacks.get().top();
    }

    void activate(CoreSpan span) {
        if (!stacks.get().push(span)) {
            LOG.warn("active-depth", "more than %d nested active spans on thread %s; %s is not made active",
                    MAX_DEPTH, Thread.currentThread().getName(), span.operationName());
        }
    }

    /** Called when a span finishes on this thread: pops it if it is on top. */
    void finished(CoreSpan span) {
        Stack stack = stacks.get();
        if (stack.peek() == span) {
            stack.pop();
            stack.top();
        }
    }

    /** Makes the span no longer active on this thread, finished or not. */
    void deactivate(CoreSpan span) {
        stacks.get().remove(span);
    }

    private static final class Stack {
        private CoreSpan[] spans = new CoreSpan[8];
        private int size;

        boolean push(CoreSpan span) {
            if (size == MAX_DEPTH) {
                return false;
            }
            if (size == spans.length) {
                spans = Arrays.copyOf(spans, Math.min(MAX_DEPTH, size * 2));
            }
            spans[size++] = span;
            return true;
        }

        CoreSpan peek() {
            return size == 0 ? null : spans[size - 1];
        }

        void pop() {
            spans[--size] = null;
        }

        /** The top unfinished span, dropping finished ones (finished on another thread) first. */
        CoreSpan top() {
            while (size > 0 && spans[size - 1].isFinished()) {
                pop();
            }
            return size == 0 ? null : spans[size - 1];
        }

        void remove(CoreSpan span) {
            for (int i = size - 1; i >= 0; i--) {
                if (spans[i] == span) {
                    System.arraycopy(spans, i + 1, spans, i, size - i - 1);
                    spans[--size] = null;
                    top();
                    return;
                }
            }
        }
    }
}
