package dev.traced.internal.context;

import jakarta.enterprise.concurrent.spi.ThreadContextProvider;
import jakarta.enterprise.concurrent.spi.ThreadContextSnapshot;

import java.util.Map;

/**
 * Propagates the active span through Jakarta Concurrency 3.0+ context services (the
 * {@code jakarta.enterprise.concurrent.spi} SPI, registered in
 * {@code META-INF/services/jakarta.enterprise.concurrent.spi.ThreadContextProvider}). A server
 * applies it to a {@code ContextService} whose definition propagates {@value #TYPE} or
 * {@code ALL_REMAINING}; the default managed executors of some servers propagate only the standard
 * contexts, where {@code tracer.wrap(...)} does the same by hand.
 */
public final class JakartaContextProvider implements ThreadContextProvider {

    /** The name of this context in {@code @ContextServiceDefinition(propagated = ...)}. */
    public static final String TYPE = MicroProfileContextProvider.TYPE;

    @Override
    public ThreadContextSnapshot currentContext(Map<String, String> props) {
        CapturedContext captured = CapturedContext.current();
        return () -> captured.begin()::end;
    }

    @Override
    public ThreadContextSnapshot clearedContext(Map<String, String> props) {
        CapturedContext cleared = CapturedContext.cleared();
        return () -> cleared.begin()::end;
    }

    @Override
    public String getThreadContextType() {
        return TYPE;
    }
}
