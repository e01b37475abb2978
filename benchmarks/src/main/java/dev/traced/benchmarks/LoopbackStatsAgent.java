package dev.traced.benchmarks;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback Agent for the client-stats figures: its {@code /info} lists {@code /v0.6/stats} and says
 * {@code client_drop_p0s} (as Datadog's Agent does by default); it answers 200 to traces and stats
 * and counts the bytes of each. Its threads are named {@code loopback-agent} so that a run can leave
 * their CPU out.
 */
final class LoopbackStatsAgent implements AutoCloseable {

    static final String THREAD_NAME = "loopback-agent";
    private static final byte[] INFO = ("{\"version\":\"7.70.0\",\"endpoints\":[\"/v0.4/traces\",\"/v0.6/stats\","
            + "\"/info\"],\"client_drop_p0s\":true,\"span_kinds_stats_computed\":[\"server\",\"client\","
            + "\"producer\",\"consumer\"],\"peer_tags\":[\"peer.hostname\",\"db.instance\"]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] RATES = "{\"rate_by_service\":{\"service:,env:\":1.0}}".getBytes(StandardCharsets.UTF_8);

    final AtomicLong traceBytes = new AtomicLong();
    final AtomicLong statsBytes = new AtomicLong();
    final AtomicLong statsPayloads = new AtomicLong();
    private final HttpServer server;
    private final ExecutorService executor;

    LoopbackStatsAgent() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            try (exchange) {
                long length;
                try (InputStream in = exchange.getRequestBody()) {
                    length = in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                String path = exchange.getRequestURI().getPath();
                byte[] answer = switch (path) {
                    case "/info" -> INFO;
                    case "/v0.4/traces" -> {
                        traceBytes.addAndGet(length);
                        yield RATES;
                    }
                    case "/v0.6/stats" -> {
                        statsBytes.addAndGet(length);
                        statsPayloads.incrementAndGet();
                        yield new byte[0];
                    }
                    default -> null;
                };
                if (answer == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                    if (answer.length > 0) {
                        exchange.getResponseBody().write(answer);
                    }
                }
            }
        });
        executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
