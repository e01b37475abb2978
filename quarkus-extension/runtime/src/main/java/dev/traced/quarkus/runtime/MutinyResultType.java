package dev.traced.quarkus.runtime;

import dev.traced.internal.cdi.AsyncResultType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.function.Consumer;

/**
 * Ends the span of a {@code @Traced} method that returns a Mutiny {@link Uni} or {@link Multi} when
 * the stream terminates (item, failure or cancellation), not when the method returns. Registered by
 * the extension only when Mutiny is on the class path.
 */
@Singleton
public final class MutinyResultType implements AsyncResultType {

    @Override
    public boolean handles(Class<?> declaredReturnType) {
        return Uni.class.isAssignableFrom(declaredReturnType) || Multi.class.isAssignableFrom(declaredReturnType);
    }

    @Override
    public Object whenTerminated(Object result, Consumer<Throwable> onTermination) {
        if (result instanceof Uni<?> uni) {
            return uni.onTermination().invoke((item, failure, cancelled) -> onTermination.accept(failure));
        }
        if (result instanceof Multi<?> multi) {
            return multi.onTermination().invoke((failure, cancelled) -> onTermination.accept(failure));
        }
        onTermination.accept(null);
        return result;
    }
}
