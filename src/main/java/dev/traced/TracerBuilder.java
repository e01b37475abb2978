package dev.traced;

import dev.traced.internal.config.Config;
import dev.traced.internal.sampling.Sampling;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.trace.NoopTracer;
import dev.traced.internal.trace.ServiceLoaderProcessors;
import dev.traced.internal.writer.TraceWriter;
import dev.traced.internal.writer.Writers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds a tracer outside a CDI container: for plain Java, for command-line tools and for tests.
 *
 * <pre>{@code
 * try (CloseableTracer tracer = TracerBuilder.create().config("dd.service", "sandwich-shop").build()) {
 *     tracer.run("sandwich.make", span -> makeSandwich());
 * }
 * }</pre>
 *
 * Settings given here win over MicroProfile Config, system properties and environment variables.
 */
public final class TracerBuilder {

    private final Map<String, String> overrides = new HashMap<>();
    private InMemoryTraces inMemory;
    private ScheduledExecutorService scheduler;
    private boolean ignoreEnvironment;
    private final List<TraceProcessor> processors = new ArrayList<>();

    private TracerBuilder() {
    }

    /**
     * A builder with no settings of its own: settings then come from MicroProfile Config, system
     * properties and the environment, as in a container.
     *
     * @return a new builder
     */
    public static TracerBuilder create() {
        return new TracerBuilder();
    }

    /**
     * Sets one setting by its dd-trace-java name, such as {@code dd.service} or {@code dd.env}.
     *
     * @param key   the setting's name
     * @param value its value; a null key or value is ignored
     * @return this builder
     */
    public TracerBuilder config(String key, String value) {
        if (key != null && value != null) {
            overrides.put(key, value);
        }
        return this;
    }

    /**
     * Sets several settings at once.
     *
     * @param settings names and values
     * @return this builder
     */
    public TracerBuilder config(Map<String, String> settings) {
        settings.forEach(this::config);
        return this;
    }

    /**
     * Reads settings only from this builder, not from system properties or the environment.
     *
     * @return this builder
     */
    public TracerBuilder ignoreEnvironment() {
        this.ignoreEnvironment = true;
        return this;
    }

    /**
     * Records finished traces in memory instead of sending them: for tests.
     *
     * @param traces where the finished traces go
     * @return this builder
     */
    public TracerBuilder inMemory(InMemoryTraces traces) {
        this.inMemory = traces;
        return this;
    }

    /**
     * Runs the writer's flush task on this executor, typically the container's managed scheduled
     * executor. Without one the writer uses one private daemon thread.
     *
     * @param scheduler the executor
     * @return this builder
     */
    public TracerBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    /**
     * Adds a processor that sees each finished trace before it is sent, after those listed in
     * {@code META-INF/services/dev.traced.TraceProcessor}.
     *
     * @param processor the processor; null is ignored
     * @return this builder
     */
    public TracerBuilder processor(TraceProcessor processor) {
        if (processor != null) {
            processors.add(processor);
        }
        return this;
    }

    /**
     * Builds the tracer; a no-op tracer when {@code dd.trace.enabled=false}.
     *
     * @return the tracer; close it to send the last traces and stop its thread
     */
    public CloseableTracer build() {
        Config config = ignoreEnvironment ? Config.of(overrides) : Config.load(overrides);
        if (!config.getBoolean("dd.trace.enabled", true)) {
            return NoopTracer.INSTANCE;
        }
        Sampling sampling = new Sampling(config);
        TraceWriter writer = inMemory != null ? new InMemoryWriter(inMemory)
                : Writers.fromConfig(config, scheduler, sampling);
        List<TraceProcessor> all = new ArrayList<>(ServiceLoaderProcessors.load());
        all.addAll(processors);
        return new CoreTracer(config, writer, sampling, all);
    }

    /** Adapts {@link InMemoryTraces} to the writer contract. */
    private static final class InMemoryWriter implements TraceWriter {
        private final InMemoryTraces traces;

        InMemoryWriter(InMemoryTraces traces) {
            this.traces = traces;
        }

        @Override
        public void write(List<CoreSpan> chunk) {
            traces.record(chunk);
        }

        @Override
        public boolean flush(Duration timeout) {
            return true;
        }

        @Override
        public void close(Duration timeout) {
        }
    }
}
