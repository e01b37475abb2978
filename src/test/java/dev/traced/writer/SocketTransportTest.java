package dev.traced.writer;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.traced.writer.WriterTestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unix-socket transport against a small JDK unix-socket HTTP server. */
class SocketTransportTest {

    @TempDir
    Path dir;
    private SocketServer server;

    @BeforeEach
    void start() throws IOException {
        server = new SocketServer(dir.resolve("apm.socket"));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void tracesArriveOverTheSocketWithChunkedAnswers() throws Exception {
        server.chunked = true;
        try (CloseableTracer tracer = WriterTestSupport.tracer("unix://" + server.path, Map.of())) {
            try (Span root = tracer.trace("sandwich.make")) {
                tracer.trace("get_ingredients").finish();
            }
            WriterTestSupport.finishTraces(tracer, "more", 2);
            assertTrue(tracer.flush(WAIT));
            assertEquals(0, WriterTestSupport.writer(tracer).drops().totalTraces());
        }
        assertEquals(4, server.spans(), "every span decoded from the request bodies");
        SocketServer.Received traces = server.received.stream()
                .filter(r -> r.requestLine.startsWith("PUT /v0.4/traces ")).findFirst().orElseThrow();
        assertEquals("application/msgpack", traces.headers.get("content-type"));
        assertEquals(Integer.toString(traces.body.length), traces.headers.get("content-length"));
        assertEquals("java", traces.headers.get("datadog-meta-lang"));
    }

    @Test
    void contentLengthAnswersAndErrorStatusesAreRead() throws Exception {
        server.chunked = false;
        server.status = 400;
        try (CloseableTracer tracer = WriterTestSupport.tracer("unix://" + server.path, Map.of())) {
            WriterTestSupport.finishTraces(tracer, "rejected", 2);
            tracer.flush(WAIT);
            assertEquals(2, WriterTestSupport.writer(tracer).drops().totalTraces(), "400 read and applied");
            server.status = 200;
            WriterTestSupport.finishTraces(tracer, "accepted", 3);
            tracer.flush(WAIT);
            assertEquals(3, WriterTestSupport.writer(tracer).sentTraces());
        }
    }

    /** Serves HTTP/1.1 on a unix socket: reads head and Content-Length body, answers and closes. */
    static final class SocketServer implements AutoCloseable {
        record Received(String requestLine, Map<String, String> headers, byte[] body) {
        }

        final Path path;
        final List<Received> received = new CopyOnWriteArrayList<>();
        volatile boolean chunked;
        volatile int status = 200;
        private final ServerSocketChannel channel;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final Thread thread;

        SocketServer(Path path) throws IOException {
            this.path = path;
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(path));
            thread = new Thread(this::serve, "unix-test-agent");
            thread.setDaemon(true);
            thread.start();
        }

        int spans() throws IOException {
            int count = 0;
            for (Received request : received) {
                if (request.requestLine.startsWith("PUT /v0.4/traces ")) {
                    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(request.body)) {
                        int traces = in.unpackArrayHeader();
                        for (int t = 0; t < traces; t++) {
                            int spans = in.unpackArrayHeader();
                            count += spans;
                            in.skipValue(spans);
                        }
                    }
                }
            }
            return count;
        }

        private void serve() {
            while (open.get()) {
                try (SocketChannel client = channel.accept()) {
                    handle(client);
                } catch (IOException e) {
                    if (!open.get()) {
                        return;
                    }
                }
            }
        }

        private void handle(SocketChannel client) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                one.clear();
                if (client.read(one) < 0) {
                    return;
                }
                head.write(one.array()[0]);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            ByteBuffer body = ByteBuffer.allocate(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            while (body.hasRemaining() && client.read(body) >= 0) {
                // read the whole body
            }
            received.add(new Received(lines[0], headers, body.array()));
            String json = lines[0].startsWith("GET /info") ? "{\"endpoints\":[\"/v0.4/traces\"]}"
                    : "{\"rate_by_service\":{\"service:,env:\":1}}";
            String answer;
            if (chunked) {
                String half = json.substring(0, json.length() / 2);
                String rest = json.substring(json.length() / 2);
                answer = "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(half.length()) + "\r\n" + half + "\r\n"
                        + Integer.toHexString(rest.length()) + ";ext=1\r\n" + rest + "\r\n0\r\n\r\n";
            } else {
                answer = "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                        + json.length() + "\r\n\r\n" + json;
            }
            ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.ISO_8859_1));
            while (out.hasRemaining()) {
                client.write(out);
            }
        }

        @Override
        public void close() throws IOException {
            open.set(false);
            channel.close();
        }
    }
}
