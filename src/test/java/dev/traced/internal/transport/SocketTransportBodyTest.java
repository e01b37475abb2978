package dev.traced.internal.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A request body many times larger than one channel write ({@link SocketTransport#WRITE_SLICE_BYTES})
 * arrives whole and in order: the transport hands it to the channel slice by slice.
 */
class SocketTransportBodyTest {

    @TempDir
    Path dir;

    @Test
    void aBodyOfManySlicesArrivesByteForByte() throws Exception {
        Path path = dir.resolve("agent.socket");
        byte[] body = new byte[5 * SocketTransport.WRITE_SLICE_BYTES + 12_345];
        new Random(42).nextBytes(body);
        int length = body.length - 1_000; // only the first length bytes are the payload
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readOneRequest(server));
            AgentResponse response = SocketTransport.unix(path, Duration.ofSeconds(30))
                    .send("PUT", "/v0.4/traces", Map.of("Content-Type", "application/msgpack"), body, length);
            assertEquals(200, response.status());
            assertArrayEquals(Arrays.copyOf(body, length), received.get(30, TimeUnit.SECONDS));
        }
    }

    /** Reads the head, then Content-Length bytes of body; answers 200. */
    private static byte[] readOneRequest(ServerSocketChannel server) {
        try (SocketChannel client = server.accept()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(64 << 10);
            int headEnd = -1;
            int contentLength = -1;
            while (headEnd < 0 || all.size() < headEnd + contentLength) {
                in.clear();
                int n = client.read(in);
                if (n < 0) {
                    throw new IOException("closed after " + all.size() + " bytes");
                }
                all.write(in.array(), 0, n);
                if (headEnd < 0) {
                    String text = all.toString(StandardCharsets.ISO_8859_1);
                    int blank = text.indexOf("\r\n\r\n");
                    if (blank >= 0) {
                        headEnd = blank + 4;
                        for (String line : text.substring(0, blank).split("\r\n")) {
                            if (line.toLowerCase().startsWith("content-length:")) {
                                contentLength = Integer.parseInt(line.substring(15).trim());
                            }
                        }
                    }
                }
            }
            client.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
            return Arrays.copyOfRange(all.toByteArray(), headEnd, headEnd + contentLength);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
