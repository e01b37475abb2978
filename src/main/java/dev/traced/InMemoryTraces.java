package dev.traced;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finished traces kept in memory, for tests: give it to {@link TracerBuilder#inMemory}, or in a CDI
 * test produce an {@code InMemoryTraces} bean and the injected tracer records into it.
 *
 * <p>Each element of {@link #traces()} is one chunk of a trace, in the order its spans finished.
 */
public class InMemoryTraces {

    private final List<List<FinishedSpan>> traces = new ArrayList<>();

    synchronized void record(List<? extends FinishedSpan> chunk) {
        traces.add(List.copyOf(chunk));
        notifyAll();
    }

    /**
     * The traces recorded so far.
     *
     * @return each trace (or part of a trace sent separately) as a list of spans
     */
    public synchronized List<List<FinishedSpan>> traces() {
        return List.copyOf(traces);
    }

    /**
     * All spans recorded so far, trace after trace.
     *
     * @return the spans
     */
    public synchronized List<FinishedSpan> spans() {
        List<FinishedSpan> all = new ArrayList<>();
        traces.forEach(all::addAll);
        return all;
    }

    /**
     * The first recorded span with this operation name.
     *
     * @param operationName the operation name
     * @return the span
     * @throws AssertionError when no recorded span has that name
     */
    public synchronized FinishedSpan span(String operationName) {
        for (List<FinishedSpan> trace : traces) {
            for (FinishedSpan span : trace) {
                if (Objects.equals(span.operationName(), operationName)) {
                    return span;
                }
            }
        }
        throw new AssertionError("no finished span named " + operationName + " in " + describe());
    }

    /**
     * Waits until at least {@code count} traces are recorded and returns them.
     *
     * @param count   how many traces to wait for
     * @param timeout how long to wait at most
     * @return the traces recorded
     * @throws AssertionError when fewer arrived within the timeout
     */
    public synchronized List<List<FinishedSpan>> awaitTraces(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (traces.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " traces, got " + traces.size() + ": " + describe());
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for traces", e);
        }
        return List.copyOf(traces);
    }

    /** Forgets every recorded trace (for example before each test). */
    public synchronized void clear() {
        traces.clear();
    }

    private String describe() {
        List<String> names = new ArrayList<>();
        for (List<FinishedSpan> trace : traces) {
            List<String> ops = new ArrayList<>();
            trace.forEach(span -> ops.add(span.operationName()));
            names.add(ops.toString());
        }
        return names.toString();
    }
}
