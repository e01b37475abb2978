package dev.traced.internal.trace;

import dev.traced.internal.correlation.EagerMdc;
import dev.traced.internal.log.RateLimitedLog;

import java.util.Arrays;

/**
 * The active span of each thread, as a stack: starting a span pushes it, finishing the top pops it
 * (and any already finished spans under it), so finishing out of order never corrupts the stack.
 * Each thread touches only its own stack.
 *
 * <p>Log correlation normally reads {@link #current} when a line is logged, so nothing here is done for
 * it per span. Only the eager MDC fallback (a logging backend without a per-line hook) is told each
 * time the top changes, so that the MDC follows the active span.
 */
final class ActiveSpans {

    private static final RateLimitedLog LOG = RateLimitedLog.of(ActiveSpans.class);
    /** Deeper nesting is almost surely spans that are never finished; they are not made active. */
    static final int MAX_DEPTH = 1024;

    /**
     * No initial value, so that a thread that only logs (and asks for its active span) gets no stack.
     * The tracer's own, emptied on every thread when it closes ({@link TracerThreadLocal}).
     */
    private final TracerThreadLocal<Stack> stacks = TracerThreadLocal.empty();
    /** Null unless log correlation uses the eager MDC fallback. */
    private final EagerMdc eagerMdc;

    ActiveSpans(EagerMdc eagerMdc) {
        this.eagerMdc = eagerMdc;
    }

    /**
     * This thread's stack, made on first use. A span start looks it up once and passes it to
     * {@link #current(Stack)} and {@link #activate(Stack, CoreSpan)}: one thread-local look-up, not two.
     */
    Stack stack() {
        Stack stack = stacks.get();
        if (stack == null) {
            stack = new Stack();
            stacks.set(stack);
        }
        return stack;
    }

    CoreSpan current() {
        Stack stack = stacks.get();
        return stack == null ? null : published(stack, stack.top());
    }

    /** {@link #current()} of this thread's stack, already looked up. */
    CoreSpan current(Stack stack) {
        return published(stack, stack.top());
    }

    void activate(CoreSpan span) {
        activate(stack(), span);
    }

    /** {@link #activate(CoreSpan)} on this thread's stack, already looked up. */
    void activate(Stack stack, CoreSpan span) {
        if (!stack.push(span)) {
            LOG.warn("active-depth", "more than %d nested active spans on thread %s; %s is not made active",
                    MAX_DEPTH, Thread.currentThread().getName(), span.operationName());
        }
        published(stack, stack.peek());
    }

    /** Called when a span finishes on this thread: pops it if it is on top. */
    void finished(CoreSpan span) {
        Stack stack = stacks.get();
        if (stack != null && stack.peek() == span) {
            stack.pop();
            published(stack, stack.top());
        }
    }

    /** Makes the span no longer active on this thread, finished or not. */
    void deactivate(CoreSpan span) {
        Stack stack = stacks.get();
        if (stack == null) {
            return;
        }
        stack.remove(span);
        published(stack, stack.top());
    }

    /**
     * Gives this thread a new stack whose base is {@code span} (empty when null), for a task that
     * continues work of another thread; returns the replaced stack for {@link #exit}. The base stays
     * the active span even once it has finished, so that spans the task starts still join its trace
     * (as a later chunk), like dd-trace-java's continuations.
     */
    Object enter(CoreSpan span) {
        Stack replaced = stack();
        Stack entered = new Stack();
        entered.base = span;
        entered.published = replaced.published;
        stacks.set(entered);
        published(entered, entered.top());
        return replaced;
    }

    /** Puts back the stack that {@link #enter} replaced. */
    void exit(Object replaced) {
        if (!(replaced instanceof Stack restored)) {
            return;
        }
        restored.published = stack().published;
        stacks.set(restored);
        published(restored, restored.top());
    }

    /** Lets go of every thread's stack: the tracer is closed. */
    void close() {
        stacks.close();
    }

    /** Tells the eager MDC when the thread's active span is not the one it last saw; returns {@code top}. */
    private CoreSpan published(Stack stack, CoreSpan top) {
        if (eagerMdc != null && stack.published != top) {
            eagerMdc.update(stack.published, top);
            stack.published = top;
        }
        return top;
    }

    /** One thread's active spans; touched by that thread only. */
    static final class Stack {
        private CoreSpan[] spans = new CoreSpan[8];
        private int size;
        /** The span the eager MDC fallback last put in the MDC; null when none. */
        private CoreSpan published;
        /** The span a propagated task continues: active when nothing else is, finished or not. */
        private CoreSpan base;

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

        /**
         * The top unfinished span, dropping finished ones (finished on another thread) first; the base
         * when none is left.
         */
        CoreSpan top() {
            while (size > 0 && spans[size - 1].isFinished()) {
                pop();
            }
            return size == 0 ? base : spans[size - 1];
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
