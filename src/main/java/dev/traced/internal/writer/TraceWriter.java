package dev.traced.internal.writer;

import dev.traced.internal.trace.CoreSpan;

import java.time.Duration;
import java.util.List;

/**
 * Where finished traces go: the Agent, the console, or memory for tests. {@link #write} is called
 * on the application thread that finished the last span, so it must only hand the chunk over:
 * no I/O, no blocking, no exception.
 */
public interface TraceWriter {

    /** Takes one chunk of finished spans of one trace. Must not block or throw. */
    void write(List<CoreSpan> chunk);

    /** Delivers what was written so far, waiting at most {@code timeout}; true when all of it arrived. */
    boolean flush(Duration timeout);

    /** Flushes within {@code timeout}, then releases threads and connections. Idempotent. */
    void close(Duration timeout);
}
