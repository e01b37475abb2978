package dev.traced.internal.writer;

import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.sampling.Sampling;
import dev.traced.internal.trace.CoreSpan;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;

/** Makes the writer that {@code dd.trace.writer} names: {@code agent} (default), {@code console}, or
 * {@code none} (traces are dropped: for benchmarks); a comma-separated list, such as
 * {@code console,agent}, writes every trace to each. */
public final class Writers {

    private static final RateLimitedLog LOG = RateLimitedLog.of(Writers.class);

    private Writers() {
    }

    /**
     * @param scheduler the container's managed scheduled executor, or null to use a private daemon thread
     * @param sampling  receives the Agent's sampling rates from its answers
     */
    public static TraceWriter fromConfig(Config config, ScheduledExecutorService scheduler, Sampling sampling) {
        String kinds = config.getString("dd.trace.writer", "agent");
        if (kinds.indexOf(',') < 0) {
            return single(kinds.trim(), config, scheduler, sampling);
        }
        // "console,agent": every trace goes to each writer (the example prints and sends).
        List<TraceWriter> writers = new java.util.ArrayList<>();
        for (String kind : kinds.split(",")) {
            if (!kind.isBlank()) {
                writers.add(single(kind.trim(), config, scheduler, sampling));
            }
        }
        return writers.size() == 1 ? writers.get(0) : new TeeWriter(writers);
    }

    private static TraceWriter single(String kind, Config config, ScheduledExecutorService scheduler,
                                      Sampling sampling) {
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "agent":
                return AgentWriter.create(config, scheduler, sampling);
            case "console":
                return new ConsoleWriter(scheduler,
                        config.getInt("dd.trace.writer.queue.size", AgentWriter.DEFAULT_QUEUE_SIZE, 1, 1 << 20),
                        config.getSeconds("dd.trace.flush.interval", Duration.ofSeconds(1), Duration.ofMillis(10),
                                Duration.ofMinutes(1)),
                        config.getBoolean("dd.trace.console.verbose", false));
            case "none":
                return discarding();
            default:
                LOG.warn("writer-kind", "dd.trace.writer=%s is not one of agent, console, none; using agent", kind);
                return AgentWriter.create(config, scheduler, sampling);
        }
    }

    private static TraceWriter discarding() {
        return new TraceWriter() {
            @Override
            public void write(List<CoreSpan> chunk) {
            }

            @Override
            public boolean flush(Duration timeout) {
                return true;
            }

            @Override
            public void close(Duration timeout) {
            }
        };
    }
}
