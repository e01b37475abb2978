package dev.traced;

/**
 * A tracer you built yourself with {@link TracerBuilder}: close it when the application stops, to
 * deliver the last traces and release the writer's thread. (The tracer CDI injects is closed by the
 * container.)
 */
public interface CloseableTracer extends Tracer, AutoCloseable {

    /** Flushes finished traces within {@code dd.trace.shutdown.timeout} (5 s), then stops the writer. */
    @Override
    void close();
}
