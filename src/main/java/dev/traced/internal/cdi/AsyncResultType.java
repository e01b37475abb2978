package dev.traced.internal.cdi;

import java.util.function.Consumer;

/**
 * A family of asynchronous return types whose results end a traced method's span when they
 * terminate, beyond {@link java.util.concurrent.CompletionStage} which {@link TracedInterceptor} knows
 * itself. A runtime registers one as a CDI bean, so the library needs no dependency on the reactive
 * library: the Quarkus extension does so for Mutiny's {@code Uni} and {@code Multi}.
 */
public interface AsyncResultType {

    /** True when results of methods declaring this return type are watched by {@link #whenTerminated}. */
    boolean handles(Class<?> declaredReturnType);

    /**
     * Returns what the caller gets in place of {@code result}: the same result, which calls
     * {@code onTermination} when it completes, fails (with the failure) or is cancelled (with null).
     * When {@code result} is not of a watched type, calls {@code onTermination} at once and returns it.
     */
    Object whenTerminated(Object result, Consumer<Throwable> onTermination);
}
