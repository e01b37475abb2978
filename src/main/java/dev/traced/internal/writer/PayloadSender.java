package dev.traced.internal.writer;

import dev.traced.internal.encoding.EncodedPayload;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.sampling.Sampling;
import dev.traced.internal.transport.AgentApi;
import dev.traced.internal.transport.AgentApi.AgentInfo;
import dev.traced.internal.transport.AgentApi.TracesResponse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends payloads and applies the Agent's answer: 200 passes the rates to sampling; 400 drops the
 * payload; 413 splits it in halves and sends each once; 404/415 re-discover with {@code /info} and
 * retry once; 429, 5xx and connection errors are retried with backoff (3 attempts, within the flush
 * interval), then the payload is dropped. A timeout is not retried: the Agent already had its time.
 * Runs on the send lane only (one payload at a time), so the thread that drains the queue never
 * waits for the Agent.
 */
final class PayloadSender {

    static final int ATTEMPTS = 3;
    /** /info is asked again at most this often when it did not answer. */
    private static final long REDISCOVER_NANOS = Duration.ofSeconds(60).toNanos();
    private static final RateLimitedLog LOG = RateLimitedLog.of(PayloadSender.class);

    private final AgentApi api;
    private final DropCounter drops;
    private final Sampling sampling;
    private final long retryBudgetNanos;
    private final long answerTimeoutNanos;
    private final AtomicLong sentTraces = new AtomicLong();
    private final AtomicLong sentSpans = new AtomicLong();
    private volatile AgentInfo info;
    private volatile long lastDiscovery;
    private volatile boolean discovered;
    /** An {@code /info} ask waits on the send lane: at most one at a time. */
    private final AtomicBoolean discoveryQueued = new AtomicBoolean();
    private volatile boolean firstDiscoveryDone;

    PayloadSender(AgentApi api, DropCounter drops, Sampling sampling, Duration flushInterval, Duration agentTimeout) {
        this.answerTimeoutNanos = agentTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        this.api = api;
        this.drops = drops;
        this.sampling = sampling;
        this.retryBudgetNanos = flushInterval.toNanos();
    }

    /** The Agent's latest {@code /info}, null until it answered. */
    AgentInfo agentInfo() {
        return info;
    }

    /** True when the Agent's {@code /info} said {@code client_drop_p0s}. */
    boolean clientDropsP0s() {
        AgentInfo current = info;
        return current != null && current.clientDropsP0s();
    }

    /** True when the Agent's {@code /info} said {@code span_events}. */
    boolean nativeSpanEvents() {
        AgentInfo current = info;
        return current != null && current.spanEvents();
    }

    /**
     * Has {@code /info} asked on the send lane when it is due: the first time, then every minute
     * while it is unknown (an Agent down, or without {@code /info}). Never waits: called by the
     * writer's thread, which must not wait for the Agent. {@code answered} runs on the lane once the
     * Agent answered or failed to.
     */
    void discoverOnLane(SendLane lane, Runnable answered) {
        if (info != null || (discovered && System.nanoTime() - lastDiscovery < REDISCOVER_NANOS)
                || !discoveryQueued.compareAndSet(false, true)) {
            return;
        }
        lane.submit(() -> {
            try {
                discoverIfDue(false);
            } finally {
                firstDiscoveryDone = true;
                discoveryQueued.set(false);
                answered.run();
            }
        });
    }

    /** True once the first {@code /info} was answered, or failed. */
    boolean firstDiscoveryDone() {
        return firstDiscoveryDone;
    }

    /** Traces the Agent accepted (status 200). */
    long sentTraces() {
        return sentTraces.get();
    }

    long sentSpans() {
        return sentSpans.get();
    }

    /**
     * Sends one payload and waits for the Agent's answer, retrying as needed, with every drop not
     * reported yet in its headers. When it is not delivered, its traces are counted as dropped and
     * the counts it carried go with the next payload. Blocks: runs on the send lane, never on the
     * thread that drains the queue. Returns true when delivered (in part, after a split).
     */
    boolean deliver(EncodedPayload payload) {
        discoverIfDue(false);
        long[] unreported = drops.takeUnreported();
        Outcome outcome = attempt(payload, unreported, true);
        if (outcome != Outcome.DELIVERED) {
            drops.restoreUnreported(unreported);
        }
        return outcome == Outcome.DELIVERED;
    }

    private enum Outcome { DELIVERED, DROPPED }

    private Outcome attempt(EncodedPayload payload, long[] unreported, boolean maySplit) {
        long giveUpAt = System.nanoTime() + retryBudgetNanos;
        boolean rediscovered = false;
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                TracesResponse response = await(api.sendTraces(payload, unreported[0], unreported[1]));
                int status = response.status();
                if (status == 200) {
                    sentTraces.addAndGet(payload.traceCount());
                    sentSpans.addAndGet(payload.spanCount());
                    if (response.rateByService() != null) {
                        updateRates(response.rateByService());
                    }
                    return Outcome.DELIVERED;
                }
                if (status == 413 && maySplit) {
                    EncodedPayload[] halves = payload.halves();
                    if (halves != null) {
                        LOG.debug("agent-413", "the Agent found a payload of %d bytes too large; sending it in halves",
                                payload.length());
                        Outcome first = attempt(halves[0], unreported, false);
                        Outcome second = attempt(halves[1], first == Outcome.DELIVERED ? new long[2] : unreported,
                                false);
                        return first == Outcome.DELIVERED || second == Outcome.DELIVERED
                                ? Outcome.DELIVERED : Outcome.DROPPED;
                    }
                }
                if (status == 400 || status == 413) {
                    drops.record(DropCounter.Reason.AGENT_REJECTED, payload.traceCount(), payload.spanCount());
                    return Outcome.DROPPED;
                }
                if ((status == 404 || status == 415) && !rediscovered) {
                    rediscovered = true;
                    discoverIfDue(true);
                    continue;
                }
                failure = "HTTP " + status;
                if (status != 429 && status < 500) {
                    drops.record(DropCounter.Reason.AGENT_REJECTED, payload.traceCount(), payload.spanCount());
                    LOG.warn("agent-status-" + status, "the Agent answered %s to %s", failure, AgentApi.TRACES_PATH);
                    return Outcome.DROPPED;
                }
            } catch (HttpTimeoutException e) {
                drops.record(DropCounter.Reason.SEND_FAILED, payload.traceCount(), payload.spanCount());
                LOG.warn("agent-timeout", "the Agent did not answer in time (dd.trace.agent.timeout): %s", e.getMessage());
                return Outcome.DROPPED;
            } catch (IOException | RuntimeException e) {
                failure = e.toString();
            }
            long backoffMillis = 50L << (2 * (attempt - 1)); // 50, 200 ms
            if (attempt >= ATTEMPTS || System.nanoTime() + backoffMillis * 1_000_000 > giveUpAt || !sleep(backoffMillis)) {
                drops.record(DropCounter.Reason.SEND_FAILED, payload.traceCount(), payload.spanCount());
                LOG.warn("agent-failed", "could not send traces to the Agent after %d attempt(s): %s", attempt, failure);
                return Outcome.DROPPED;
            }
        }
    }

    /** The answer, or the transport's failure as an IOException; never waits much past the Agent timeout. */
    private TracesResponse await(CompletableFuture<TracesResponse> answer) throws IOException {
        try {
            return answer.get(answerTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no answer from the Agent");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new InterruptedIOException("interrupted while waiting for the Agent");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        }
    }

    private void updateRates(Map<String, Double> rates) {
        try {
            sampling.updateAgentRates(rates);
        } catch (RuntimeException e) {
            LOG.warn("rates-failed", e, "could not apply the Agent's sampling rates");
        }
    }

    /** Both the writer's thread (span events) and the send lane ask; one at a time. */
    private synchronized void discoverIfDue(boolean force) {
        long now = System.nanoTime();
        if (!force && (info != null || (discovered && now - lastDiscovery < REDISCOVER_NANOS))) {
            return;
        }
        discovered = true;
        lastDiscovery = now;
        AgentInfo found = api.info();
        if (found != null) {
            info = found;
            if (!found.endpoints().isEmpty() && !found.supportsV04()) {
                LOG.warn("agent-no-v04", "the Agent does not list %s among its endpoints %s", AgentApi.TRACES_PATH,
                        found.endpoints());
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
