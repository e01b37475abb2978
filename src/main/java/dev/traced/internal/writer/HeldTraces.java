package dev.traced.internal.writer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console writer's short wait before printing a trace: the chunks of one trace reach the writer
 * separately (a local call's server span finishes, and is handed over, before the client span that
 * made the call), so chunks are held by trace id until the trace has been quiet for {@code linger}
 * (or held for {@code maxHold}), then taken together to print as one tree.
 *
 * <p>Bounded: when more than {@code maxSpans} spans are held, the oldest traces are released at once.
 * Used from the writer's thread only (the flush worker never runs two jobs at a time), so it is not
 * synchronized.
 *
 * @param <C> a chunk of a trace
 */
final class HeldTraces<C> {

    private static final class Held<C> {
        final List<C> chunks = new ArrayList<>(2);
        final long firstNanos;
        long lastNanos;
        int spans;

        Held(long now) {
            this.firstNanos = now;
            this.lastNanos = now;
        }
    }

    private final int maxSpans;
    private final long lingerNanos;
    private final long maxHoldNanos;
    private final Map<Object, Held<C>> held = new LinkedHashMap<>();
    private int heldSpans;

    HeldTraces(int maxSpans, long lingerNanos, long maxHoldNanos) {
        this.maxSpans = maxSpans;
        this.lingerNanos = lingerNanos;
        this.maxHoldNanos = maxHoldNanos;
    }

    /** Holds a chunk of {@code spans} spans of the trace {@code traceKey}, arrived at {@code now}. */
    void add(Object traceKey, C chunk, int spans, long now) {
        Held<C> trace = held.computeIfAbsent(traceKey, key -> new Held<>(now));
        trace.chunks.add(chunk);
        trace.lastNanos = now;
        trace.spans += spans;
        heldSpans += spans;
    }

    /**
     * Removes and returns, oldest first, the traces ready to print: quiet for the linger time, held
     * for the longest hold, beyond the bound, or all of them when {@code all} (a flush or close).
     */
    List<List<C>> takeReady(long now, boolean all) {
        List<List<C>> ready = new ArrayList<>();
        for (Iterator<Held<C>> it = held.values().iterator(); it.hasNext(); ) {
            Held<C> trace = it.next();
            if (all || heldSpans > maxSpans || now - trace.lastNanos >= lingerNanos
                    || now - trace.firstNanos >= maxHoldNanos) {
                it.remove();
                heldSpans -= trace.spans;
                ready.add(trace.chunks);
            }
        }
        return ready;
    }

    int heldSpans() {
        return heldSpans;
    }
}
