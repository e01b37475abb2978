package dev.traced.internal.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The Agent over a socket channel: a unix domain socket ({@code unix:///var/run/datadog/apm.socket})
 * or TCP ({@code http://host:port}). A minimal HTTP/1.1 client, one connection per request
 * ({@code Connection: close}), run on the writer's own thread. The request carries a Content-Length;
 * the answer is read by Content-Length, chunked encoding, or to the end of the stream. The whole
 * exchange, connect included, is bounded by the timeout, with a selector since channels have none.
 *
 * <p>Why not the JDK's HttpClient for TCP: it hands every exchange between its selector and worker
 * threads, and on a busy machine those hand-offs, not the bytes, limit delivery (DeliveryRun, 2
 * cores: 207,000 spans/s with HttpClient, 555,000 over a channel written from the writer's thread).
 * It also keeps a selector thread per client until the client is collected, which an application
 * server sees as a thread left behind by every redeployment. HttpClient remains for {@code https}.
 */
final class SocketTransport implements AgentTransport {

    /** Answers larger than this are cut: the Agent's are a few kilobytes. */
    private static final int MAX_RESPONSE_BYTES = 1 << 20;
    /** The most of a request body handed to one channel write. */
    static final int WRITE_SLICE_BYTES = 128 << 10;

    /** The socket file, or null for TCP. */
    private final Path socket;
    /** Host and port for TCP, or null for a unix socket. */
    private final String host;
    private final int port;
    private final String hostHeader;
    private final Duration timeout;

    private SocketTransport(Path socket, String host, int port, Duration timeout) {
        this.socket = socket;
        this.host = host;
        this.port = port;
        this.hostHeader = socket != null ? "localhost" : (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        this.timeout = timeout;
    }

    static SocketTransport unix(Path socket, Duration timeout) {
        return new SocketTransport(socket, null, 0, timeout);
    }

    /** {@code host} as a URI has it: a name, an IPv4 literal, or an IPv6 literal in brackets. */
    static SocketTransport tcp(String host, int port, Duration timeout) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return new SocketTransport(null, bare, port, timeout);
    }

    @Override
    public AgentResponse send(String method, String path, Map<String, String> headers, byte[] body, int length)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = socket != null ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
             Selector selector = Selector.open()) {
            connect(channel, selector, deadline);
            writeRequest(channel, selector, deadline, method, path, hostHeader, headers, body, length);
            return new ResponseReader(channel, selector, deadline).read();
        }
    }

    private void connect(SocketChannel channel, Selector selector, long deadline) throws IOException {
        if (socket != null) {
            channel.connect(UnixDomainSocketAddress.of(socket)); // local: connects or fails at once
            channel.configureBlocking(false);
            return;
        }
        InetSocketAddress address = new InetSocketAddress(host, port); // resolved on each send: DNS changes apply
        if (address.isUnresolved()) {
            throw new UnknownHostException("cannot resolve the Agent host " + host);
        }
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (!channel.connect(address)) {
            SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
            while (!channel.finishConnect()) {
                await(selector, deadline);
            }
            key.interestOps(0);
        }
    }

    private static void writeRequest(SocketChannel channel, Selector selector, long deadline, String method,
                                     String path, String hostHeader, Map<String, String> headers, byte[] body,
                                     int length) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(body == null ? 0 : length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        ByteBuffer headBytes = ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer bodyBytes = ByteBuffer.wrap(body == null ? new byte[0] : body, 0, body == null ? 0 : length);
        ByteBuffer[] parts = {headBytes, bodyBytes};
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            key = channel.register(selector, SelectionKey.OP_WRITE);
        } else {
            key.interestOps(SelectionKey.OP_WRITE);
        }
        int end = bodyBytes.limit();
        while (headBytes.hasRemaining() || bodyBytes.position() < end) {
            // At most WRITE_SLICE_BYTES of the body per call: the JDK copies whatever a heap buffer
            // has remaining into a direct buffer on every write, so a 5 MiB payload written whole,
            // a few hundred KiB accepted per call, was copied about ten times over.
            bodyBytes.limit(Math.min(end, bodyBytes.position() + WRITE_SLICE_BYTES));
            if (channel.write(parts) == 0) {
                await(selector, deadline);
            }
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    private static void await(Selector selector, long deadline) throws IOException {
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
            throw new HttpTimeoutException("the Agent did not answer in time");
        }
        selector.select(remainingMillis);
        selector.selectedKeys().clear();
        if (Thread.currentThread().isInterrupted()) {
            // The writer gave up on this send (shutdown timeout): select would return at once forever.
            throw new InterruptedIOException("interrupted while talking to the Agent");
        }
    }

    /** Reads status line, headers and body from a non-blocking channel before the deadline. */
    private static final class ResponseReader {
        private final SocketChannel channel;
        private final Selector selector;
        private final long deadline;
        private final ByteBuffer in = ByteBuffer.allocate(8192);
        private boolean eof;

        ResponseReader(SocketChannel channel, Selector selector, long deadline) {
            this.channel = channel;
            this.selector = selector;
            this.deadline = deadline;
            in.flip();
        }

        AgentResponse read() throws IOException {
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("bad status line: " + statusLine);
            }
            long contentLength = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + value);
                    }
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (status == 204 || status == 304 || status / 100 == 1) {
                return new AgentResponse(status, new byte[0]);
            }
            if (chunked) {
                while (true) {
                    String size = line();
                    int semicolon = size.indexOf(';');
                    long chunkSize;
                    try {
                        chunkSize = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad chunk size: " + size);
                    }
                    if (chunkSize == 0) {
                        while (!line().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    copy(chunkSize, body);
                    line();
                }
            } else if (contentLength >= 0) {
                copy(contentLength, body);
            } else {
                copy(Long.MAX_VALUE, body); // to the end of the stream
            }
            return new AgentResponse(status, body.toByteArray());
        }

        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            in.compact();
            try {
                while (true) {
                    int n = channel.read(in);
                    if (n > 0) {
                        return true;
                    }
                    if (n < 0) {
                        eof = true;
                        return false;
                    }
                    await(selector, deadline);
                }
            } finally {
                in.flip();
            }
        }

        private String line() throws IOException {
            StringBuilder text = new StringBuilder(64);
            while (true) {
                while (in.hasRemaining()) {
                    char c = (char) (in.get() & 0xff);
                    if (c == '\n') {
                        int end = text.length();
                        return end > 0 && text.charAt(end - 1) == '\r' ? text.substring(0, end - 1) : text.toString();
                    }
                    if (text.length() > 8192) {
                        throw new IOException("header line too long");
                    }
                    text.append(c);
                }
                if (!fill()) {
                    throw new EOFException("the Agent closed the connection");
                }
            }
        }

        private void copy(long count, ByteArrayOutputStream out) throws IOException {
            long left = count;
            while (left > 0) {
                if (!in.hasRemaining() && !fill()) {
                    if (count == Long.MAX_VALUE) {
                        return;
                    }
                    throw new EOFException("the Agent closed the connection mid-answer");
                }
                int n = (int) Math.min(left, in.remaining());
                if (out.size() + n <= MAX_RESPONSE_BYTES) {
                    out.write(in.array(), in.arrayOffset() + in.position(), n);
                }
                in.position(in.position() + n);
                left -= n;
            }
        }
    }

    @Override
    public void close() {
    }
}
