package dev.traced.testagent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the Datadog Agent on 127.0.0.1: decodes every {@code /v0.4/traces} payload with
 * msgpack-core, checking each type as the Agent does (spec §1.2: twelve keys; ids int or uint;
 * metrics values int, uint or float64 only; meta str to str; type str or nil; {@code span_links} and
 * {@code span_events} with the types of the Agent's v0.4 decoder), records headers and
 * spans, and answers whatever a test asks: any status, a delay, garbage, or a closed connection.
 * {@code /v0.6/stats} payloads are decoded with the Agent's {@code ClientStatsPayload} schema
 * ({@link StatsDecoder}); what {@code /info} announces is configurable ({@link #announce}).
 *
 * <pre>{@code
 * try (TestAgent agent = TestAgent.start()) {
 *     ... dd.trace.agent.url = agent.url() ...
 *     List<DecodedSpan> spans = agent.awaitSpans(3, Duration.ofSeconds(10));
 *     assertEquals(List.of(), agent.errors());
 * }
 * }</pre>
 */
public final class TestAgent implements AutoCloseable {

    /** How the Agent answers trace requests. */
    public enum Mode {
        /** Decode, record, answer the configured status and body. */
        NORMAL,
        /** Answer 200 with a body that is not JSON. */
        GARBAGE,
        /** Read the request, then close the connection without answering. */
        CLOSE_CONNECTION
    }

    /**
     * One request as received. Header names are lower case. {@code status} is what the Agent
     * answered (-1: the connection was closed unanswered; 0 for {@code /info}).
     */
    public record Request(String method, String path, Map<String, String> headers, int bodyLength,
                          List<List<DecodedSpan>> traces, int status) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** A header's value as a number, 0 when absent. */
        public long longHeader(String name) {
            String value = header(name);
            return value == null ? 0 : Long.parseLong(value);
        }
    }

    private static final List<String> KEYS = List.of("service", "name", "resource", "trace_id", "span_id",
            "parent_id", "start", "duration", "type", "error", "metrics", "meta");
    /** Keys a span may add after the twelve: the Agent's v0.4 decoder reads them. */
    private static final List<String> OPTIONAL_KEYS = List.of("span_links", "span_events");

    private final Object lock = new Object();
    private final List<Request> requests = new ArrayList<>();
    private final List<DecodedSpan> spans = new ArrayList<>();
    private final List<DecodedStats> stats = new ArrayList<>();
    private volatile int statsStatus = 200;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Map<Integer, Integer> statusCounts = new HashMap<>();
    private int port;
    private HttpServer server;
    private ExecutorService executor;

    private volatile int status = 200;
    private volatile String body = "{\"rate_by_service\":{\"service:,env:\":1.0}}";
    private volatile Duration delay = Duration.ZERO;
    private volatile Mode mode = Mode.NORMAL;
    /** While set, trace requests wait here before they are answered (a payload stays in flight). */
    private volatile CountDownLatch gate;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Answers used once each before {@link #status}, in order. */
    private final List<Integer> oneOffStatuses = new ArrayList<>();
    private volatile String info = "{\"version\":\"7.70.0\",\"endpoints\":[\"/v0.4/traces\",\"/v0.5/traces\",\"/info\"],"
            + "\"client_drop_p0s\":false}";

    private TestAgent() {
    }

    /** Starts on an ephemeral port of 127.0.0.1. */
    public static TestAgent start() {
        TestAgent agent = new TestAgent();
        agent.listen(0);
        return agent;
    }

    private void listen(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test Agent", e);
        }
        server.createContext("/", this::handle);
        executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "test-agent");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        port = server.getAddress().getPort();
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}, for {@code dd.trace.agent.url}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    // ---- behaviour ----------------------------------------------------------------------------

    /** Answers trace requests with this status and body from now on. */
    public TestAgent answer(int status, String body) {
        this.status = status;
        this.body = body;
        return this;
    }

    /** Answers the next trace requests with these statuses (one each, body "{}"), then as configured. */
    public TestAgent answerNext(Integer... statuses) {
        synchronized (lock) {
            oneOffStatuses.addAll(List.of(statuses));
        }
        return this;
    }

    /** Waits this long before answering any request (a stalled Agent). */
    public TestAgent delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /**
     * Holds every trace request from now on: each is read, then waits unanswered until
     * {@link #release} (at most a minute), so the tracer sees a payload in flight for as long as a test wants.
     */
    public TestAgent hold() {
        gate = new CountDownLatch(1);
        return this;
    }

    /** Answers the held requests and stops holding. */
    public TestAgent release() {
        CountDownLatch held = gate;
        gate = null;
        if (held != null) {
            held.countDown();
        }
        return this;
    }

    /** Waits until {@code n} trace requests are held unanswered. Fails on timeout. */
    public void awaitHeld(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (waiting.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " held requests, got " + waiting.get());
            }
            Thread.sleep(1);
        }
    }

    public TestAgent mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** Adds {@code "span_events": true} to {@code /info}, as Agents that read native span events do. */
    public TestAgent announceSpanEvents() {
        String current = info;
        this.info = current.substring(0, current.lastIndexOf('}')) + ",\"span_events\":true}";
        return this;
    }

    /** The JSON {@code /info} answers; null answers 404. */
    public TestAgent info(String json) {
        this.info = json;
        return this;
    }

    /** Answers {@code /info} with the Agent's default endpoints (stats included) and this {@code client_drop_p0s}. */
    public TestAgent clientDropsP0s(boolean drops) {
        return announce(true, drops, List.of(), List.of());
    }

    /**
     * Answers {@code /info} as an Agent 7.70 would: {@code /v0.6/stats} among the endpoints or not,
     * {@code client_drop_p0s}, {@code peer_tags} and {@code span_kinds_stats_computed}.
     */
    public TestAgent announce(boolean statsEndpoint, boolean clientDropsP0s, List<String> peerTags,
                              List<String> spanKindsStatsComputed) {
        return info("{\"version\":\"7.70.0\",\"endpoints\":[\"/v0.4/traces\",\"/v0.5/traces\","
                + (statsEndpoint ? "\"/v0.6/stats\"," : "") + "\"/info\"],\"client_drop_p0s\":" + clientDropsP0s
                + ",\"peer_tags\":" + jsonArray(peerTags) + ",\"span_kinds_stats_computed\":"
                + jsonArray(spanKindsStatsComputed) + "}");
    }

    private static String jsonArray(List<String> items) {
        StringBuilder json = new StringBuilder("[");
        for (String item : items) {
            json.append(json.length() > 1 ? "," : "").append('"').append(item).append('"');
        }
        return json.append(']').toString();
    }

    /** Answers {@code /v0.6/stats} with this status (200 decodes and records the payload). */
    public TestAgent statsStatus(int status) {
        this.statsStatus = status;
        return this;
    }

    /** Back to answering 200 with rates, at once, decoding everything. */
    public TestAgent healthy() {
        mode = Mode.NORMAL;
        delay = Duration.ZERO;
        status = 200;
        body = "{\"rate_by_service\":{\"service:,env:\":1.0}}";
        synchronized (lock) {
            oneOffStatuses.clear();
        }
        return this;
    }

    /** The Agent goes away: its port refuses connections until {@link #restart}. */
    public void stop() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }

    /** The Agent comes back on the same port. */
    public void restart() {
        listen(port);
    }

    @Override
    public void close() {
        stop();
    }

    // ---- what arrived -------------------------------------------------------------------------

    public List<Request> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** Every {@code /v0.6/stats} payload decoded, in arrival order. */
    public List<DecodedStats> stats() {
        synchronized (lock) {
            return List.copyOf(stats);
        }
    }

    /** Requests to {@code /v0.6/stats}. */
    public List<Request> statsRequests() {
        synchronized (lock) {
            return requests.stream().filter(r -> r.path().equals("/v0.6/stats")).toList();
        }
    }

    /** Requests to {@code /v0.4/traces} that were decoded. */
    public List<Request> traceRequests() {
        synchronized (lock) {
            return requests.stream().filter(r -> r.path().equals("/v0.4/traces")).toList();
        }
    }

    public List<DecodedSpan> spans() {
        synchronized (lock) {
            return List.copyOf(spans);
        }
    }

    /** Type errors found in payloads and headers; empty when every payload was valid. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** How many trace requests got each status. */
    public Map<Integer, Integer> statusCounts() {
        synchronized (lock) {
            return Map.copyOf(statusCounts);
        }
    }

    /**
     * The spans received so far of the trace one of whose spans has {@code http.useragent} equal to
     * {@code userAgent}: the integration tests on real servers give each request its own User-Agent, so
     * that it names its trace. Empty while no such span has arrived.
     */
    public List<DecodedSpan> traceOfRequest(String userAgent) {
        List<DecodedSpan> all = spans();
        return all.stream()
                .filter(s -> userAgent.equals(s.meta().get("http.useragent")))
                .findFirst()
                .map(root -> all.stream().filter(s -> s.traceId() == root.traceId()).toList())
                .orElse(List.of());
    }

    /**
     * Waits until {@link #traceOfRequest} has at least {@code spans} spans; returns them. Fails on
     * timeout with every span received and {@code seeAlso} (where the server's log is, say).
     */
    public List<DecodedSpan> awaitTraceOfRequest(String userAgent, int spans, Duration timeout, String seeAlso)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DecodedSpan> trace = traceOfRequest(userAgent);
        while (trace.size() < spans) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("trace of " + userAgent + ": expected " + spans + " spans, got " + trace
                        + "; Agent errors " + errors() + "; every span received: " + spanSummary() + seeAlso);
            }
            Thread.sleep(50);
            trace = traceOfRequest(userAgent);
        }
        return trace;
    }

    /** Name, resource and User-Agent of every span received: for failure messages. */
    public List<String> spanSummary() {
        return spans().stream().map(s -> s.name() + " " + s.resource() + " " + s.meta().get("http.useragent")).toList();
    }

    /** Waits until at least {@code n} spans were received; returns them. Fails on timeout. */
    public List<DecodedSpan> awaitSpans(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (spans.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " spans, got " + spans.size() + "; errors: " + errors);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return List.copyOf(spans);
        }
    }

    /** Waits until at least {@code n} requests (of any path) were received. */
    public void awaitRequests(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (requests.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " requests, got " + requests.size());
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    // ---- serving ------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] payload;
            try (InputStream in = exchange.getRequestBody()) {
                payload = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            String path = exchange.getRequestURI().getPath();
            Duration wait = delay;
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (path.equals("/info")) {
                record(new Request(exchange.getRequestMethod(), path, headers, payload.length, List.of(), 0));
                String answer = info;
                respond(exchange, answer == null ? 404 : 200, answer == null ? "not found" : answer);
                return;
            }
            CountDownLatch held = gate;
            if (held != null && path.equals("/v0.4/traces")) {
                waiting.incrementAndGet();
                try {
                    held.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    waiting.decrementAndGet();
                }
            }
            if (path.equals("/v0.6/stats")) {
                handleStats(exchange, headers, payload);
                return;
            }
            if (!path.equals("/v0.4/traces")) {
                record(new Request(exchange.getRequestMethod(), path, headers, payload.length, List.of(), 404));
                respond(exchange, 404, "404 page not found");
                return;
            }
            if (mode == Mode.CLOSE_CONNECTION) {
                record(new Request(exchange.getRequestMethod(), path, headers, payload.length, List.of(), -1));
                // An exception from a handler makes the JDK server drop the connection unanswered.
                throw new IOException("test Agent closes the connection");
            }
            Integer oneOff;
            synchronized (lock) {
                oneOff = oneOffStatuses.isEmpty() ? null : oneOffStatuses.remove(0);
            }
            int answerStatus = oneOff != null ? oneOff : status;
            if (answerStatus != 200) {
                record(new Request(exchange.getRequestMethod(), path, headers, payload.length, List.of(), answerStatus));
                respond(exchange, answerStatus, oneOff != null ? "{}" : body);
                return;
            }
            List<List<DecodedSpan>> traces;
            try {
                traces = decode(payload, headers);
            } catch (IOException | RuntimeException e) {
                errors.add("undecodable payload: " + e);
                record(new Request(exchange.getRequestMethod(), path, headers, payload.length, List.of(), 400));
                respond(exchange, 400, "decoding error");
                return;
            }
            record(new Request(exchange.getRequestMethod(), path, headers, payload.length, traces, 200));
            respond(exchange, 200, mode == Mode.GARBAGE ? "\u0000not json{{{" : body);
        }
    }

    private void handleStats(HttpExchange exchange, Map<String, String> headers, byte[] payload) throws IOException {
        Request request = new Request(exchange.getRequestMethod(), "/v0.6/stats", headers, payload.length, List.of(), 0);
        int answer = statsStatus;
        if (answer != 200) {
            record(withStatus(request, answer));
            respond(exchange, answer, "");
            return;
        }
        if (!"application/msgpack".equals(headers.get("content-type"))) {
            errors.add("stats Content-Type is " + headers.get("content-type"));
        }
        for (String required : List.of("datadog-meta-lang", "datadog-meta-tracer-version")) {
            if (headers.get(required) == null) {
                errors.add("stats request without header " + required);
            }
        }
        DecodedStats decoded;
        try {
            decoded = new StatsDecoder(errors).decode(payload);
        } catch (IOException | RuntimeException e) {
            errors.add("undecodable stats payload: " + e);
            record(withStatus(request, 400));
            respond(exchange, 400, "decoding error");
            return;
        }
        synchronized (lock) {
            stats.add(decoded);
        }
        record(withStatus(request, 200));
        respond(exchange, 200, "");
    }

    private static Request withStatus(Request request, int status) {
        return new Request(request.method(), request.path(), request.headers(), request.bodyLength(), request.traces(),
                status);
    }

    private void record(Request request) {
        int answered = request.status();
        synchronized (lock) {
            requests.add(request);
            for (List<DecodedSpan> trace : request.traces()) {
                spans.addAll(trace);
            }
            if (answered != 0) {
                statusCounts.merge(answered, 1, Integer::sum);
            }
            lock.notifyAll();
        }
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    // ---- decoding, as strict as the Agent -----------------------------------------------------

    private List<List<DecodedSpan>> decode(byte[] payload, Map<String, String> headers) throws IOException {
        if (!"application/msgpack".equals(headers.get("content-type"))) {
            errors.add("Content-Type is " + headers.get("content-type"));
        }
        for (String required : List.of("datadog-meta-lang", "datadog-meta-lang-version", "datadog-meta-lang-interpreter",
                "datadog-meta-lang-interpreter-vendor", "datadog-meta-tracer-version", "x-datadog-trace-count",
                "datadog-client-computed-top-level", "datadog-client-dropped-p0-traces",
                "datadog-client-dropped-p0-spans")) {
            if (headers.get(required) == null) {
                errors.add("missing header " + required);
            }
        }
        List<List<DecodedSpan>> traces = new ArrayList<>();
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(payload)) {
            int traceCount = in.unpackArrayHeader();
            for (int t = 0; t < traceCount; t++) {
                int spanCount = in.unpackArrayHeader();
                List<DecodedSpan> trace = new ArrayList<>(spanCount);
                for (int s = 0; s < spanCount; s++) {
                    trace.add(decodeSpan(in));
                }
                if (trace.stream().map(DecodedSpan::traceId).distinct().count() > 1) {
                    errors.add("spans of one chunk have different trace ids");
                }
                traces.add(Collections.unmodifiableList(trace));
            }
            if (in.hasNext()) {
                errors.add("bytes after the payload");
            }
        }
        String count = headers.get("x-datadog-trace-count");
        if (count != null && !count.equals(Integer.toString(traces.size()))) {
            errors.add("X-Datadog-Trace-Count " + count + " but " + traces.size() + " traces");
        }
        return traces;
    }

    @SuppressWarnings("unchecked")
    private DecodedSpan decodeSpan(MessageUnpacker in) throws IOException {
        int size = in.unpackMapHeader();
        if (size < 12 || size > 12 + OPTIONAL_KEYS.size()) {
            errors.add("span map has " + size + " keys");
        }
        Map<String, Object> fields = new HashMap<>();
        for (int i = 0; i < size; i++) {
            String key = in.unpackString();
            if (OPTIONAL_KEYS.contains(key)) {
                if (fields.containsKey(key)) {
                    errors.add("duplicate key " + key);
                }
                fields.put(key, key.equals("span_links") ? links(in) : events(in));
                continue;
            }
            if (!KEYS.contains(key)) {
                errors.add("unexpected key " + key);
                in.skipValue();
                continue;
            }
            if (i < KEYS.size() && !KEYS.get(i).equals(key)) {
                errors.add("key " + key + " at position " + i + ", Java writes " + KEYS.get(i));
            }
            switch (key) {
                case "service", "name", "resource" -> fields.put(key, stringOrNil(in, key));
                case "type" -> fields.put(key, stringOrNil(in, key));
                case "trace_id", "span_id", "parent_id" -> {
                    if (in.getNextFormat() == MessageFormat.INT64 || in.getNextFormat() == MessageFormat.INT32) {
                        // Legal for the Agent, but Java writes ids unsigned; a negative int would be a sign bug.
                        long id = integer(in, key);
                        if (id < 0) {
                            errors.add(key + " is a negative signed int");
                        }
                        fields.put(key, id);
                    } else {
                        fields.put(key, integer(in, key));
                    }
                }
                case "start", "duration" -> fields.put(key, integer(in, key));
                case "error" -> {
                    long error = integer(in, key);
                    if (error != 0 && error != 1) {
                        errors.add("error is " + error);
                    }
                    fields.put(key, error);
                }
                case "metrics" -> fields.put(key, metrics(in));
                case "meta" -> fields.put(key, meta(in));
                default -> throw new IllegalStateException(key);
            }
        }
        for (String key : KEYS) {
            if (!fields.containsKey(key)) {
                errors.add("missing key " + key);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Number> metrics = (Map<String, Number>) fields.getOrDefault("metrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, String> meta = (Map<String, String>) fields.getOrDefault("meta", Map.of());
        return new DecodedSpan((String) fields.get("service"), (String) fields.get("name"),
                (String) fields.get("resource"), (long) fields.getOrDefault("trace_id", 0L),
                (long) fields.getOrDefault("span_id", 0L), (long) fields.getOrDefault("parent_id", 0L),
                (long) fields.getOrDefault("start", 0L), (long) fields.getOrDefault("duration", 0L),
                (String) fields.get("type"), (int) (long) fields.getOrDefault("error", 0L), metrics, meta,
                (List<DecodedSpan.Link>) fields.getOrDefault("span_links", List.of()),
                (List<DecodedSpan.Event>) fields.getOrDefault("span_events", List.of()));
    }

    /** {@code span_links}: an array of maps, typed as the Agent's {@code SpanLink.UnmarshalMsg} reads them. */
    private List<DecodedSpan.Link> links(MessageUnpacker in) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.ARRAY) {
            errors.add("span_links is " + in.getNextFormat());
            in.skipValue();
            return List.of();
        }
        int count = in.unpackArrayHeader();
        if (count == 0) {
            errors.add("span_links is empty (Datadog's tracers leave the key out)");
        }
        List<DecodedSpan.Link> links = new ArrayList<>(count);
        for (int l = 0; l < count; l++) {
            if (in.getNextFormat().getValueType() != ValueType.MAP) {
                errors.add("span link is " + in.getNextFormat());
                in.skipValue();
                continue;
            }
            int size = in.unpackMapHeader();
            long traceId = 0;
            long traceIdHigh = 0;
            long spanId = 0;
            Map<String, String> attributes = Map.of();
            String tracestate = null;
            Long flags = null;
            for (int i = 0; i < size; i++) {
                String key = in.unpackString();
                switch (key) {
                    case "trace_id" -> traceId = integer(in, "span_links.trace_id");
                    case "span_id" -> spanId = integer(in, "span_links.span_id");
                    case "trace_id_high" -> traceIdHigh = unsigned(in, "span_links.trace_id_high");
                    case "attributes" -> attributes = stringMap(in, "span_links.attributes");
                    case "tracestate" -> tracestate = stringOrNil(in, "span_links.tracestate");
                    case "flags" -> {
                        long value = unsigned(in, "span_links.flags");
                        if (value > 0xffffffffL) {
                            errors.add("span_links.flags " + value + " is not a uint32");
                        } else if (value != 0 && (value & (1L << 31)) == 0) {
                            errors.add("span_links.flags " + value + " without bit 31 (the Agent's \"set\" bit)");
                        }
                        flags = value;
                    }
                    default -> {
                        errors.add("unexpected span link key " + key);
                        in.skipValue();
                    }
                }
            }
            if (traceId == 0 || spanId == 0) {
                errors.add("span link without trace_id or span_id");
            }
            links.add(new DecodedSpan.Link(traceId, traceIdHigh, spanId, attributes, tracestate, flags));
        }
        return Collections.unmodifiableList(links);
    }

    /** {@code span_events}: an array of maps, typed as the Agent's {@code SpanEvent.UnmarshalMsg} reads them. */
    private List<DecodedSpan.Event> events(MessageUnpacker in) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.ARRAY) {
            errors.add("span_events is " + in.getNextFormat());
            in.skipValue();
            return List.of();
        }
        int count = in.unpackArrayHeader();
        if (count == 0) {
            errors.add("span_events is empty (Datadog's tracers leave the key out)");
        }
        List<DecodedSpan.Event> events = new ArrayList<>(count);
        for (int e = 0; e < count; e++) {
            if (in.getNextFormat().getValueType() != ValueType.MAP) {
                errors.add("span event is " + in.getNextFormat());
                in.skipValue();
                continue;
            }
            int size = in.unpackMapHeader();
            long time = 0;
            String name = null;
            Map<String, Object> attributes = Map.of();
            for (int i = 0; i < size; i++) {
                String key = in.unpackString();
                switch (key) {
                    case "time_unix_nano" -> time = unsigned(in, "span_events.time_unix_nano");
                    case "name" -> name = stringOrNil(in, "span_events.name");
                    case "attributes" -> attributes = anyValueMap(in);
                    default -> {
                        errors.add("unexpected span event key " + key);
                        in.skipValue();
                    }
                }
            }
            if (name == null || time <= 0) {
                errors.add("span event without name or time_unix_nano");
            }
            events.add(new DecodedSpan.Event(time, name, attributes));
        }
        return Collections.unmodifiableList(events);
    }

    private Map<String, Object> anyValueMap(MessageUnpacker in) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.MAP) {
            errors.add("span_events.attributes is " + in.getNextFormat());
            in.skipValue();
            return Map.of();
        }
        int size = in.unpackMapHeader();
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String key = in.unpackString();
            attributes.put(key, anyValue(in, key, true));
        }
        return Collections.unmodifiableMap(attributes);
    }

    /**
     * The Agent's {@code AttributeAnyValue}: {@code type} 0 string, 1 bool, 2 int, 3 double, 4 array
     * (of the first four); the value under the key of its type, with the msgpack type the Agent reads.
     */
    private Object anyValue(MessageUnpacker in, String key, boolean arrayAllowed) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.MAP) {
            errors.add("event attribute " + key + " is " + in.getNextFormat() + ", not an AttributeAnyValue map");
            in.skipValue();
            return null;
        }
        int size = in.unpackMapHeader();
        long type = -1;
        Object value = null;
        String valueKey = null;
        for (int i = 0; i < size; i++) {
            String field = in.unpackString();
            MessageFormat format = in.getNextFormat();
            switch (field) {
                case "type" -> type = integer(in, "event attribute " + key + " type");
                case "string_value" -> {
                    valueKey = field;
                    value = stringOrNil(in, "event attribute " + key + " string_value");
                }
                case "bool_value" -> {
                    valueKey = field;
                    if (format.getValueType() != ValueType.BOOLEAN) {
                        errors.add("event attribute " + key + " bool_value is " + format);
                        in.skipValue();
                    } else {
                        value = in.unpackBoolean();
                    }
                }
                case "int_value" -> {
                    valueKey = field;
                    value = integer(in, "event attribute " + key + " int_value");
                }
                case "double_value" -> {
                    valueKey = field;
                    if (format != MessageFormat.FLOAT64) {
                        errors.add("event attribute " + key + " double_value is " + format + " (float64 only)");
                        in.skipValue();
                    } else {
                        value = in.unpackDouble();
                    }
                }
                case "array_value" -> {
                    valueKey = field;
                    if (!arrayAllowed) {
                        errors.add("event attribute " + key + " nests an array in an array");
                    }
                    value = arrayValue(in, key);
                }
                default -> {
                    errors.add("event attribute " + key + " has unexpected field " + field);
                    in.skipValue();
                }
            }
        }
        List<String> byType = List.of("string_value", "bool_value", "int_value", "double_value", "array_value");
        if (type < 0 || type >= byType.size()) {
            errors.add("event attribute " + key + " has type " + type);
        } else if (!byType.get((int) type).equals(valueKey)) {
            errors.add("event attribute " + key + " of type " + type + " carries " + valueKey);
        }
        return value;
    }

    private List<Object> arrayValue(MessageUnpacker in, String key) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.MAP) {
            errors.add("event attribute " + key + " array_value is " + in.getNextFormat());
            in.skipValue();
            return List.of();
        }
        int size = in.unpackMapHeader();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String field = in.unpackString();
            if (!field.equals("values") || in.getNextFormat().getValueType() != ValueType.ARRAY) {
                errors.add("event attribute " + key + " array_value has " + field + " " + in.getNextFormat());
                in.skipValue();
                continue;
            }
            int count = in.unpackArrayHeader();
            for (int v = 0; v < count; v++) {
                values.add(anyValue(in, key + "[" + v + "]", false));
            }
        }
        return Collections.unmodifiableList(values);
    }

    /** A uint64 the Agent reads with {@code ReadUint64Bytes}: a negative signed int is an error. */
    private long unsigned(MessageUnpacker in, String key) throws IOException {
        MessageFormat format = in.getNextFormat();
        long value = integer(in, key);
        if (format.getValueType() == ValueType.INTEGER && format != MessageFormat.UINT64 && value < 0) {
            errors.add(key + " is a negative signed int");
        }
        return value;
    }

    private Map<String, String> stringMap(MessageUnpacker in, String what) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.MAP) {
            errors.add(what + " is " + in.getNextFormat());
            in.skipValue();
            return Map.of();
        }
        int size = in.unpackMapHeader();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String key = in.unpackString();
            if (in.getNextFormat().getValueType() != ValueType.STRING) {
                errors.add(what + " " + key + " is " + in.getNextFormat());
                in.skipValue();
                continue;
            }
            map.put(key, in.unpackString());
        }
        return Collections.unmodifiableMap(map);
    }

    private String stringOrNil(MessageUnpacker in, String key) throws IOException {
        ValueType type = in.getNextFormat().getValueType();
        if (type == ValueType.NIL) {
            in.unpackNil();
            return null;
        }
        if (type != ValueType.STRING) {
            errors.add(key + " is " + type);
            in.skipValue();
            return null;
        }
        return in.unpackString();
    }

    private long integer(MessageUnpacker in, String key) throws IOException {
        MessageFormat format = in.getNextFormat();
        if (format.getValueType() != ValueType.INTEGER) {
            errors.add(key + " is " + format);
            in.skipValue();
            return 0;
        }
        return format == MessageFormat.UINT64 ? in.unpackBigInteger().longValue() : in.unpackLong();
    }

    private Map<String, Number> metrics(MessageUnpacker in) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.MAP) {
            errors.add("metrics is " + in.getNextFormat());
            in.skipValue();
            return Map.of();
        }
        int size = in.unpackMapHeader();
        Map<String, Number> metrics = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String key = in.unpackString();
            MessageFormat format = in.getNextFormat();
            if (format == MessageFormat.FLOAT64) {
                metrics.put(key, in.unpackDouble());
            } else if (format.getValueType() == ValueType.INTEGER) {
                metrics.put(key, format == MessageFormat.UINT64 ? in.unpackBigInteger().longValue() : in.unpackLong());
            } else {
                errors.add("metric " + key + " is " + format + " (the Agent accepts int, uint and float64 only)");
                in.skipValue();
            }
        }
        return Collections.unmodifiableMap(metrics);
    }

    private Map<String, String> meta(MessageUnpacker in) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.MAP) {
            errors.add("meta is " + in.getNextFormat());
            in.skipValue();
            return Map.of();
        }
        int size = in.unpackMapHeader();
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String key = in.unpackString();
            if (in.getNextFormat().getValueType() != ValueType.STRING) {
                errors.add("meta " + key + " is " + in.getNextFormat());
                in.skipValue();
                continue;
            }
            meta.put(key, in.unpackString());
        }
        return Collections.unmodifiableMap(meta);
    }
}
