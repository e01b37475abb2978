package dev.traced.internal.transport;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One request to the Agent and its answer, over HTTP or a unix domain socket. Called only from the
 * writer's thread; never traced.
 */
public interface AgentTransport {

    /**
     * Sends {@code body[0, length)} (null body for none) and waits for the whole answer, at most the
     * configured timeout.
     *
     * @throws IOException when the Agent is unreachable, closes the connection, or times out
     */
    AgentResponse send(String method, String path, Map<String, String> headers, byte[] body, int length)
            throws IOException;

    /**
     * Starts sending and returns at once when the transport can (HTTP); else sends now. The future
     * fails with an {@link IOException} as {@link #send} would throw it. {@code body} must stay
     * unchanged until the future completes.
     */
    default CompletableFuture<AgentResponse> sendAsync(String method, String path, Map<String, String> headers,
                                                       byte[] body, int length) {
        try {
            return CompletableFuture.completedFuture(send(method, path, headers, body, length));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Releases connections; idempotent. */
    void close();
}
