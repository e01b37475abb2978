package dev.traced.internal.cdi;

import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.TraceProcessor;
import dev.traced.Tracer;
import dev.traced.TracerBuilder;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.ApplicationTracer;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.trace.NoopTracer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Owns the application's tracer: builds it when the container starts using it, produces it for
 * {@code @Inject Tracer}, and closes it (final flush) when the container shuts down.
 *
 * <p>The writer runs on the container's default managed scheduled executor when there is one
 * ({@link ManagedScheduler}).
 * A test that produces an {@link InMemoryTraces} bean gets its traces recorded there. A runtime that
 * produces {@link ContainerSettings} (Quarkus) gives its own settings and executor.
 */
@ApplicationScoped
public class TracerHolder {

    private static final RateLimitedLog LOG = RateLimitedLog.of(TracerHolder.class);
    private CloseableTracer tracer;
    private final TracedMethods tracedMethods = new TracedMethods();

    @Inject
    Instance<InMemoryTraces> inMemory;

    @Inject
    Instance<ContainerSettings> containerSettings;

    @Inject
    Instance<TraceProcessor> processors;

    /** For the CDI proxy. */
    protected TracerHolder() {
    }

    /** The tracer, built on first use. */
    public synchronized CloseableTracer tracer() {
        if (tracer == null) {
            tracer = build();
            // JAX-RS providers created outside CDI find the tracer there.
            ApplicationTracer.register(tracer);
        }
        return tracer;
    }

    /** The tracer as the interceptor and filters use it; null when tracing is disabled. */
    /** How traced methods are named, cached per bean class: one per application, like the tracer. */
    public TracedMethods tracedMethods() {
        return tracedMethods;
    }

    public CoreTracer coreTracer() {
        return tracer() instanceof CoreTracer core ? core : null;
    }

    private CloseableTracer build() {
        TracerBuilder builder = TracerBuilder.create();
        try {
            ContainerSettings settings = containerSettings != null && containerSettings.isResolvable()
                    ? containerSettings.get() : null;
            if (settings != null) {
                builder.config(settings.overrides());
            }
            if (inMemory != null && inMemory.isResolvable()) {
                builder.inMemory(inMemory.get());
            } else if (settings != null && settings.scheduler() != null) {
                builder.scheduler(settings.scheduler());
            } else {
                builder.scheduler(ManagedScheduler.lookup());
            }
        } catch (RuntimeException e) {
            LOG.warn("holder-build", e, "could not look up optional tracer beans");
        }
        try {
            if (processors != null) {
                for (TraceProcessor processor : processors) {
                    builder.processor(processor);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("holder-processors", e, "could not look up the application's trace processors");
        }
        try {
            return builder.build();
        } catch (RuntimeException | LinkageError e) {
            // A broken installation (a missing class, a module without a dependency) must not fail
            // the application's injection points: it runs untraced, and says so.
            LOG.warn("holder-tracer", e, "could not start the tracer; the application runs without tracing");
            return NoopTracer.INSTANCE;
        }
    }

    @Produces
    @ApplicationScoped
    Tracer produceTracer() {
        return tracer();
    }

    @PreDestroy
    synchronized void close() {
        if (tracer != null) {
            ApplicationTracer.unregister(tracer);
            tracer.close();
        }
    }
}
