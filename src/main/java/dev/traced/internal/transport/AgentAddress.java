package dev.traced.internal.transport;

import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the Agent listens: an HTTP base URI or a unix domain socket, and how long a request may take.
 *
 * <p>Resolved as dd-trace-java does: {@code dd.trace.agent.url} ({@code http://host:port} or
 * {@code unix:///path}) wins; else {@code dd.trace.agent.unix.domain.socket}; else
 * {@code dd.agent.host} (localhost) and {@code dd.trace.agent.port} (8126); when none of these is set
 * and {@code /var/run/datadog/apm.socket} exists, that socket.
 *
 * @param httpBase the base URI ({@code http://host:port}), null for a socket
 * @param socket   the socket path, null for HTTP
 * @param timeout  {@code dd.trace.agent.timeout} (10 s): connect and whole-request timeout
 */
public record AgentAddress(URI httpBase, Path socket, Duration timeout) {

    public static final Path DEFAULT_SOCKET = Path.of("/var/run/datadog/apm.socket");
    private static final RateLimitedLog LOG = RateLimitedLog.of(AgentAddress.class);

    public static AgentAddress fromConfig(Config config) {
        return fromConfig(config, DEFAULT_SOCKET);
    }

    static AgentAddress fromConfig(Config config, Path defaultSocket) {
        Duration timeout = config.getSeconds("dd.trace.agent.timeout", Duration.ofSeconds(10),
                Duration.ofMillis(10), Duration.ofMinutes(5));
        String url = config.raw("dd.trace.agent.url");
        if (url != null) {
            AgentAddress parsed = parseUrl(url, timeout);
            if (parsed != null) {
                return parsed;
            }
        }
        String socket = config.raw("dd.trace.agent.unix.domain.socket");
        if (socket != null) {
            return new AgentAddress(null, Path.of(socket.startsWith("unix://") ? socket.substring(7) : socket), timeout);
        }
        String host = config.raw("dd.agent.host");
        String port = config.raw("dd.trace.agent.port");
        if (host == null && port == null && url == null && Files.exists(defaultSocket)) {
            return new AgentAddress(null, defaultSocket, timeout);
        }
        String hostName = host == null ? "localhost" : host;
        if (hostName.indexOf(':') >= 0 && !hostName.startsWith("[")) {
            hostName = "[" + hostName + "]"; // IPv6 literal
        }
        int portNumber = config.getInt("dd.trace.agent.port", 8126, 1, 65535);
        return new AgentAddress(URI.create("http://" + hostName + ":" + portNumber), null, timeout);
    }

    private static AgentAddress parseUrl(String url, Duration timeout) {
        try {
            if (url.startsWith("unix://")) {
                String path = url.substring("unix://".length());
                if (!path.isEmpty()) {
                    return new AgentAddress(null, Path.of(path), timeout);
                }
            } else {
                URI uri = URI.create(url);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    int port = uri.getPort() > 0 ? uri.getPort() : 8126;
                    String host = uri.getHost();
                    return new AgentAddress(URI.create(uri.getScheme() + "://" + host + ":" + port), null, timeout);
                }
            }
        } catch (IllegalArgumentException e) {
            // Logged below.
        }
        LOG.warn("agent-url", "dd.trace.agent.url=%s is not http://host:port nor unix:///path; ignoring it", url);
        return null;
    }

    /**
     * Opens the transport this address needs: a socket channel for {@code unix://} and
     * {@code http://}, the JDK's HttpClient for {@code https://}.
     */
    public AgentTransport openTransport() {
        if (socket != null) {
            return SocketTransport.unix(socket, timeout);
        }
        if ("https".equals(httpBase.getScheme())) {
            return new HttpAgentTransport(httpBase, timeout);
        }
        return SocketTransport.tcp(httpBase.getHost(), httpBase.getPort(), timeout);
    }

    @Override
    public String toString() {
        return socket != null ? "unix://" + socket : httpBase.toString();
    }
}
