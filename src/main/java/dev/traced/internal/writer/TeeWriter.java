package dev.traced.internal.writer;

import dev.traced.internal.trace.CoreSpan;

import java.time.Duration;
import java.util.List;

/**
 * Hands every trace to several writers ({@code dd.trace.writer=console,agent}): each one queues it
 * on its own, so one that is full or closed does not affect the others.
 */
final class TeeWriter implements TraceWriter {

    private final List<TraceWriter> writers;

    TeeWriter(List<TraceWriter> writers) {
        this.writers = List.copyOf(writers);
    }

    @Override
    public void write(List<CoreSpan> chunk) {
        for (TraceWriter writer : writers) {
            writer.write(chunk);
        }
    }

    @Override
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (TraceWriter writer : writers) {
            all &= writer.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return all;
    }

    @Override
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (TraceWriter writer : writers) {
            writer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }
}
