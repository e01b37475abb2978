package dev.traced.internal.stats;

import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.PendingTrace;
import dev.traced.internal.trace.TraceSettings;
import dev.traced.internal.transport.AgentApi;
import dev.traced.internal.transport.AgentApi.AgentInfo;
import dev.traced.internal.transport.AgentResponse;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Client-side trace stats, as Datadog's tracers compute them: the writer counts every finished
 * trace here before deciding to send it, sends the counts to the Agent's {@code /v0.6/stats} every
 * 10 seconds, and may then drop the traces the sampler rejected, since the Agent no longer needs
 * them to compute the service's request, error and latency metrics.
 *
 * <p>On only when all three hold: {@code dd.trace.stats.computation.enabled} (default true, as in
 * dd-trace-java), the Agent's {@code /info} lists {@code /v0.6/stats}, and it says
 * {@code client_drop_p0s}. Otherwise nothing is counted and every trace is sent, so the Agent
 * computes the stats as before. Whether it is on is decided by {@link #refresh}, once per writer
 * run, so that every payload is either wholly counted here or not at all.
 *
 * <p>Writer's thread only; the application threads never reach this class.
 */
public final class ClientStats {

    public static final String ENABLED_KEY = "dd.trace.stats.computation.enabled";
    /** dd-trace-java's older name of the same switch. */
    public static final String LEGACY_ENABLED_KEY = "dd.trace.tracer.metrics.enabled";

    private static final RateLimitedLog LOG = RateLimitedLog.of(ClientStats.class);
    /** How often a writer pass looks at the wall clock for a bucket that is over. */
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final boolean enabled;
    private final LongSupplier epochNanos;
    private final long answerTimeoutNanos;
    private final SpanStatsAggregator aggregator;
    private final AtomicLong sentPayloads = new AtomicLong();
    private final AtomicLong failedPayloads = new AtomicLong();
    private AgentInfo info;
    /** An /info whose stats endpoint answered 404: stats stay off until the Agent says something new. */
    private volatile AgentInfo refusedBy;
    private volatile boolean active;
    private boolean dropsP0s;
    private StatsPayloadEncoder.Header header;
    private long sequence;
    private long nextFlushNanos;
    /** {@code System.nanoTime()} before which {@link #flush} does not read the wall clock. */
    private long nextCheckNanos = System.nanoTime();

    ClientStats(boolean enabled, LongSupplier epochNanos, Duration agentTimeout) {
        this.enabled = enabled;
        this.epochNanos = epochNanos;
        this.answerTimeoutNanos = agentTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        this.aggregator = new SpanStatsAggregator(epochNanos);
        this.nextFlushNanos = SpanStatsAggregator.align(epochNanos.getAsLong()) + SpanStatsAggregator.BUCKET_NANOS;
    }

    /** The stats of a writer configured by {@code config}. */
    public static ClientStats fromConfig(Config config, Duration agentTimeout) {
        String key = config.raw(ENABLED_KEY) == null && config.raw(LEGACY_ENABLED_KEY) != null
                ? LEGACY_ENABLED_KEY : ENABLED_KEY;
        return new ClientStats(config.getBoolean(key, true), ClientStats::wallClockNanos, agentTimeout);
    }

    private static long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Takes the Agent's latest {@code /info} (null when unknown) and decides whether stats are
     * computed from now on; returns that decision. When they go off, the counts so far are sent at
     * once: the rejected traces they include were not sent, so the Agent learns of them no other way.
     */
    public boolean refresh(AgentInfo latest, AgentApi api, Executor sendOn) {
        if (latest != info) {
            info = latest;
            if (latest != null) {
                aggregator.configure(latest.peerTags(), latest.spanKindsStatsComputed());
            }
        }
        boolean on = enabled && latest != null && latest != refusedBy && latest.supportsStats()
                && latest.clientDropsP0s();
        if (on != active) {
            if (!on) {
                flush(api, true, sendOn);
            }
            active = on;
            LOG.debug("client-stats", on ? "the Agent takes client-side stats: computing them, and dropping "
                    + "traces the sampler rejected" : "client-side stats are off: sending every trace");
        }
        dropsP0s = on;
        return on;
    }

    /** True when stats are computed and sent traces are marked so ({@code Datadog-Client-Computed-Stats}). */
    public boolean active() {
        return active;
    }

    /**
     * Counts a finished chunk when stats are on, and says whether it must still be sent: false only
     * for a chunk whose trace the sampler rejected (priority &lt;= 0) with no error in it, as
     * dd-trace-java keeps every trace with an error span. Never throws.
     */
    public boolean admit(List<CoreSpan> chunk) {
        if (!active || chunk.isEmpty()) {
            return true;
        }
        boolean error;
        try {
            if (header == null) {
                header = header(chunk.get(0).trace().tracer().settings());
            }
            error = aggregator.add(chunk);
        } catch (RuntimeException e) {
            LOG.warn("stats-failed", e, "could not count a trace in client-side stats; sending it");
            return true;
        }
        int priority = chunk.get(0).trace().samplingPriority();
        boolean rejected = priority != PendingTrace.UNSET && priority <= 0;
        return !(dropsP0s && rejected && !error);
    }

    private static StatsPayloadEncoder.Header header(TraceSettings settings) {
        // Hostname stays empty, as in the traces this tracer sends: the Agent then uses its own,
        // and the stats carry the same host tag as stats the Agent computes itself.
        return new StatsPayloadEncoder.Header("", settings.service(), settings.env(), settings.version(),
                settings.runtimeId(), AgentApi.tracerVersion());
    }

    /**
     * Encodes the buckets that are over, every 10 seconds, or every bucket when {@code all} (flush
     * and shutdown), and has {@code sendOn} send them: the writer's send lane, which waits for the
     * Agent's answer there, in order with the payloads, so that the writer's thread never does. Never throws.
     */
    public void flush(AgentApi api, boolean all, Executor sendOn) {
        try {
            if (!all) {
                // The wall clock only when the monotonic one says a bucket may be over: this runs on every writer pass.
                if (System.nanoTime() - nextCheckNanos < 0) {
                    return;
                }
                nextCheckNanos = System.nanoTime() + CHECK_NANOS;
            }
            long now = epochNanos.getAsLong();
            if (!all && now < nextFlushNanos) {
                return;
            }
            nextFlushNanos = SpanStatsAggregator.align(now) + SpanStatsAggregator.BUCKET_NANOS;
            List<StatsBucket> buckets = aggregator.takeFinished(all);
            if (!buckets.isEmpty() && header != null) {
                send(api, buckets, sendOn);
            }
        } catch (IOException | RuntimeException e) {
            failedPayloads.incrementAndGet();
            LOG.warn("stats-encode", e, "could not send client-side stats");
        }
    }

    private void send(AgentApi api, List<StatsBucket> buckets, Executor sendOn) throws IOException {
        byte[] body = StatsPayloadEncoder.encode(header, sequence++, buckets);
        AgentInfo sentWith = info;
        sendOn.execute(() -> awaitAnswer(api.sendStats(body, body.length).whenComplete((response, failure) -> {
            if (failure == null && response.status() == 200) {
                sentPayloads.incrementAndGet();
                return;
            }
            failedPayloads.incrementAndGet();
            if (response != null && response.status() == 404) {
                refusedBy = sentWith; // read by the writer's thread at its next refresh
                LOG.warn("stats-404", "the Agent no longer takes client-side stats (404 on %s); sending every "
                        + "trace until its /info says otherwise", AgentApi.STATS_PATH);
            } else {
                LOG.warn("stats-failed-send", "could not send client-side stats to the Agent: %s",
                        failure != null ? failure.toString() : "HTTP " + response.status());
            }
        })));
    }

    /** On the send lane: the answer of an asynchronous transport is waited for there, bounded. */
    private void awaitAnswer(CompletableFuture<AgentResponse> pending) {
        try {
            pending.get(answerTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Counted and logged by the send's own completion.
        }
    }

    /** Stats payloads the Agent accepted. */
    public long sentPayloads() {
        return sentPayloads.get();
    }

    /** Stats payloads that could not be encoded or delivered. */
    public long failedPayloads() {
        return failedPayloads.get();
    }

    /** Counted spans that fell outside the group cap. */
    public long droppedSpans() {
        return aggregator.droppedSpans();
    }
}
