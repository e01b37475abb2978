package dev.traced.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.traced.internal.encoding.EncodedPayload;
import dev.traced.internal.log.RateLimitedLog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Agent's trace intake as this tracer uses it: {@code PUT /v0.4/traces} with dd-trace-java's
 * headers, the {@code rate_by_service} answer, {@code POST /v0.6/stats} for client-side stats, and
 * {@code GET /info} discovery.
 */
public final class AgentApi {

    public static final String TRACES_PATH = "/v0.4/traces";
    public static final String INFO_PATH = "/info";
    public static final String STATS_PATH = "/v0.6/stats";
    static final String FALLBACK_VERSION = "0.1.0-SNAPSHOT";

    private static final RateLimitedLog LOG = RateLimitedLog.of(AgentApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentTransport transport;
    private final Map<String, String> fixedHeaders;
    private final Map<String, String> statsHeaders;
    /**
     * Whether the traces sent from now on were counted in client-side stats, so that the Agent
     * must not compute stats from them ({@code Datadog-Client-Computed-Stats}); set by the writer's thread.
     */
    private volatile boolean clientComputedStats;

    public AgentApi(AgentTransport transport) {
        this.transport = transport;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/msgpack");
        headers.put("Datadog-Meta-Lang", "java");
        headers.put("Datadog-Meta-Lang-Version", System.getProperty("java.version", "unknown"));
        headers.put("Datadog-Meta-Lang-Interpreter", System.getProperty("java.vm.name", "unknown"));
        headers.put("Datadog-Meta-Lang-Interpreter-Vendor", System.getProperty("java.vm.vendor", "unknown"));
        headers.put("Datadog-Meta-Tracer-Version", tracerVersion());
        // dd-trace-java's stats requests carry the language and tracer headers, not the trace-only ones.
        this.statsHeaders = Map.copyOf(headers);
        headers.put("Datadog-Client-Computed-Top-Level", "true");
        this.fixedHeaders = Collections.unmodifiableMap(headers);
    }

    /** The answer to a traces request: its status and the Agent's rates (null when none or unreadable). */
    public record TracesResponse(int status, Map<String, Double> rateByService) {
    }

    /**
     * What {@code /info} says that this tracer uses.
     *
     * @param peerTags               the tag names the Agent groups client, producer and consumer stats by
     * @param spanKindsStatsComputed the span kinds whose spans the Agent counts in stats even when
     *                               neither top-level nor measured
     * @param spanEvents             {@code "span_events": true}: the Agent reads span events from the span's
     *                               own {@code span_events} field (else they go in the {@code events} tag)
     */
    public record AgentInfo(boolean clientDropsP0s, List<String> endpoints, List<String> peerTags,
                            List<String> spanKindsStatsComputed, boolean spanEvents) {

        public AgentInfo(boolean clientDropsP0s, List<String> endpoints) {
            this(clientDropsP0s, endpoints, List.of(), List.of(), false);
        }

        public boolean supportsV04() {
            return lists(TRACES_PATH);
        }

        /** True when the Agent takes client-side stats ({@code /v0.6/stats}). */
        public boolean supportsStats() {
            return lists(STATS_PATH);
        }

        private boolean lists(String path) {
            for (String endpoint : endpoints) {
                if (endpoint.equals(path) || endpoint.equals(path.substring(1))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Says from now on whether sent traces were counted in client-side stats. */
    public void clientComputedStats(boolean computed) {
        this.clientComputedStats = computed;
    }

    public boolean clientComputedStats() {
        return clientComputedStats;
    }

    /**
     * Starts sending one payload with the P0 counts dropped since the last payload. The future
     * fails with an {@link IOException} when the Agent cannot be reached or does not answer in time;
     * the payload's bytes must stay unchanged until it completes.
     */
    public CompletableFuture<TracesResponse> sendTraces(EncodedPayload payload, long droppedP0Traces,
                                                        long droppedP0Spans) {
        Map<String, String> headers = new HashMap<>(fixedHeaders);
        headers.put("X-Datadog-Trace-Count", Integer.toString(payload.traceCount()));
        headers.put("Datadog-Client-Dropped-P0-Traces", Long.toString(droppedP0Traces));
        headers.put("Datadog-Client-Dropped-P0-Spans", Long.toString(droppedP0Spans));
        if (clientComputedStats) {
            headers.put("Datadog-Client-Computed-Stats", "true");
        }
        return transport.sendAsync("PUT", TRACES_PATH, headers, payload.bytes(), payload.length())
                .thenApply(response -> new TracesResponse(response.status(),
                        response.status() == 200 ? parseRates(response.body()) : null));
    }

    /**
     * Starts sending one client-side stats payload ({@code ClientStatsPayload} in msgpack) as
     * dd-trace-java does: {@code POST}, with the language and tracer version headers the Agent tags
     * the stats with. {@code body} must stay unchanged until the future completes.
     */
    public CompletableFuture<AgentResponse> sendStats(byte[] body, int length) {
        return transport.sendAsync("POST", STATS_PATH, statsHeaders, body, length);
    }

    /** {@code GET /info}; null when the Agent does not answer it usefully. */
    public AgentInfo info() {
        try {
            AgentResponse response = transport.send("GET", INFO_PATH, Map.of(), null, 0);
            if (response.status() != 200) {
                LOG.debug("info-status", "the Agent answered %d to /info", response.status());
                return null;
            }
            return parseInfo(response.body());
        } catch (IOException e) {
            LOG.debug("info-failed", "the Agent's /info is unreachable: %s", e);
            return null;
        }
    }

    public void close() {
        transport.close();
    }

    static Map<String, Double> parseRates(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode rates = JSON.readTree(body).get("rate_by_service");
            if (rates == null || !rates.isObject()) {
                return null;
            }
            Map<String, Double> parsed = new HashMap<>();
            for (Map.Entry<String, JsonNode> entry : rates.properties()) {
                if (entry.getValue().isNumber()) {
                    double rate = entry.getValue().doubleValue();
                    if (rate >= 0 && rate <= 1) {
                        parsed.put(entry.getKey(), rate);
                    }
                }
            }
            return parsed;
        } catch (IOException | RuntimeException e) {
            LOG.debug("agent-garbage", "ignoring an Agent answer that is not the expected JSON: %s", e);
            return null;
        }
    }

    static AgentInfo parseInfo(byte[] body) {
        try {
            JsonNode info = JSON.readTree(body);
            if (info == null || !info.isObject()) {
                return null;
            }
            List<String> endpoints = new ArrayList<>();
            JsonNode list = info.get("endpoints");
            if (list != null && list.isArray()) {
                for (JsonNode endpoint : list) {
                    if (endpoint.isTextual()) {
                        endpoints.add(endpoint.asText());
                    }
                }
            }
            JsonNode drops = info.get("client_drop_p0s");
            // Only a JSON true counts: "true" as a string, 1 or garbage leave the tag form, which every Agent reads.
            JsonNode spanEvents = info.get("span_events");
            return new AgentInfo(drops != null && drops.asBoolean(false), List.copyOf(endpoints),
                    texts(info.get("peer_tags")), texts(info.get("span_kinds_stats_computed")),
                    spanEvents != null && spanEvents.isBoolean() && spanEvents.booleanValue());
        } catch (IOException | RuntimeException e) {
            LOG.debug("info-garbage", "ignoring an /info answer that is not the expected JSON: %s", e);
            return null;
        }
    }

    /** The strings of a JSON array; anything else in it, or a value that is not an array, is ignored. */
    private static List<String> texts(JsonNode array) {
        if (array == null || !array.isArray()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode item : array) {
            if (item.isTextual() && !item.asText().isEmpty()) {
                texts.add(item.asText());
            }
        }
        return List.copyOf(texts);
    }

    /** This library's version, from its jar manifest ({@code Implementation-Version}). */
    public static String tracerVersion() {
        String version = AgentApi.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? FALLBACK_VERSION : version;
    }
}
