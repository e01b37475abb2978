package dev.traced.internal.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The Agent over TCP, with the JDK's HTTP client (HTTP/1.1, keep-alive).
 *
 * <p>The client's helper tasks run on one thread of ours that {@link #close} stops: the client's
 * default pool keeps idle threads for a minute, which an application server sees as threads left
 * behind by every redeployment.
 */
final class HttpAgentTransport implements AgentTransport {

    private static final String THREAD_NAME = "traced-http";

    private final URI base;
    private final Duration timeout;
    private final ThreadPoolExecutor executor;
    private final HttpClient client;

    HttpAgentTransport(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME);
            thread.setDaemon(true);
            // Not the application's class loader: a thread must not keep an undeployed application alive.
            thread.setContextClassLoader(HttpAgentTransport.class.getClassLoader());
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .executor(executor)
                .build();
    }

    @Override
    public CompletableFuture<AgentResponse> sendAsync(String method, String path, Map<String, String> headers,
                                                      byte[] body, int length) {
        try {
            return client.sendAsync(request(method, path, headers, body, length), HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(response -> new AgentResponse(response.statusCode(), response.body()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private HttpRequest request(String method, String path, Map<String, String> headers, byte[] body, int length) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
        headers.forEach(request::header);
        return request.build();
    }

    @Override
    public AgentResponse send(String method, String path, Map<String, String> headers, byte[] body, int length)
            throws IOException {
        try {
            HttpResponse<byte[]> response = client.send(request(method, path, headers, body, length),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new AgentResponse(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending to the Agent");
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        // JDK 21+ can close the client now; on JDK 17 its selector thread ends once the client is collected.
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Closing after the final flush: nothing left to lose.
            }
        }
    }
}
