package dev.traced.internal.context;

import org.eclipse.microprofile.context.spi.ThreadContextProvider;
import org.eclipse.microprofile.context.spi.ThreadContextSnapshot;

import java.util.Map;

/**
 * Propagates the active span through MicroProfile Context Propagation: Quarkus's and SmallRye's
 * {@code ManagedExecutor} and {@code ThreadContext} (registered in
 * {@code META-INF/services/org.eclipse.microprofile.context.spi.ThreadContextProvider}). The context
 * type is {@value #TYPE}; executors propagate it by default ({@code ALL_REMAINING}).
 */
public final class MicroProfileContextProvider implements ThreadContextProvider {

    /** The name of this context for {@code propagated}/{@code cleared} settings. */
    public static final String TYPE = "Traced";

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
