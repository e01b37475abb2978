package dev.traced.examples.sandwich;

import dev.traced.Tracer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the shop on 127.0.0.1, sends it a few requests as an outside caller would, prints every trace
 * as a tree (the console writer), and exits. When a Datadog Agent listens on 127.0.0.1:8126, or
 * {@code DD_TRACE_AGENT_URL} is set, the same traces are also sent to it.
 *
 * <p>Settings are ordinary tracer settings ({@code -Ddd.service=...} or {@code DD_SERVICE=...}); the
 * values below are only defaults for this example.
 */
public final class Main {

    /** The incoming Datadog headers of the first request: a caller's trace and span ids (decimal). */
    static final String UPSTREAM_TRACE_ID = "1234567890123456789";
    static final String UPSTREAM_PARENT_ID = "987654321";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        applyDefaults();
        quietFrameworkLogs();
        System.out.println("traced example: the sandwich shop (dd.trace.writer=" + System.getProperty("dd.trace.writer")
                + "); each trace is printed as a tree once it is complete.");
        try (ShopServer shop = ShopServer.start()) {
            sendRequests(shop, System.out);
        }
        // Closing the container closed the tracer, which flushed every trace.
    }

    /** The requests a newcomer sees traced: also what the example's test checks. */
    static void sendRequests(ShopServer shop, PrintStream out) throws IOException, InterruptedException {
        // tracer.set_tags({...}): global tags, on every span started from now on.
        Tracer tracer = shop.bean(Tracer.class);
        tracer.setTags(Map.of("team", "lunch", "shop.location", "downtown"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Map<String, String> upstream = new LinkedHashMap<>();
        upstream.put("x-datadog-trace-id", UPSTREAM_TRACE_ID);
        upstream.put("x-datadog-parent-id", UPSTREAM_PARENT_ID);
        upstream.put("x-datadog-sampling-priority", "1");
        send(http, tracer, shop.uri("sandwiches/blt"), upstream, "a caller's Datadog headers: the trace continues", out);
        send(http, tracer, shop.uri("sandwiches/cheese"), Map.of(), "a new trace", out);
        send(http, tracer, shop.uri("sandwiches/unicorn"), Map.of(), "fails: the pantry throws", out);
        send(http, tracer, shop.uri("health"), Map.of(), "a health check: @DoNotTrace, no trace", out);
    }

    private static void send(HttpClient http, Tracer tracer, URI uri, Map<String, String> headers, String what,
                             PrintStream out) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)); // a cold first request on a busy machine
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        out.printf("%nGET %s%s -> %d %s%n    (%s)%n", uri.getPath(), headers.isEmpty() ? "" : " " + headers,
                response.statusCode(), abbreviate(response.body()), what);
        // The server span ends just after the response is written; then print its trace under the request
        // line (the console writer would print it within a second anyway, after the next request's line).
        Thread.sleep(100);
        tracer.flush(Duration.ofSeconds(5));
    }

    private static String abbreviate(String body) {
        String line = body.replace('\n', ' ');
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }

    /** Weld, RESTEasy and Undertow announce themselves at INFO; only warnings are of interest here. */
    private static void quietFrameworkLogs() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
    }

    /** Example defaults, unless the user set these settings as system properties or in the environment. */
    static void applyDefaults() {
        setDefault("dd.service", "sandwich-shop");
        setDefault("dd.env", "example");
        setDefault("dd.version", "1.0.0");
        setDefault("dd.trace.writer", agentConfigured() || agentListening() ? "console,agent" : "console");
        // Each request is followed by tracer.flush(), which prints its trace under the request's line; a
        // periodic flush in between would print it at a moment of its own.
        setDefault("dd.trace.flush.interval", "10");
    }

    private static void setDefault(String key, String value) {
        String env = key.toUpperCase().replace('.', '_');
        if (System.getProperty(key) == null && System.getenv(env) == null) {
            System.setProperty(key, value);
        }
    }

    private static boolean agentConfigured() {
        return System.getenv("DD_TRACE_AGENT_URL") != null || System.getProperty("dd.trace.agent.url") != null;
    }

    private static boolean agentListening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 8126), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
