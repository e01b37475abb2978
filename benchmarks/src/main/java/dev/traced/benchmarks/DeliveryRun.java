package dev.traced.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.traced.CloseableTracer;
import dev.traced.TracerBuilder;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.writer.AgentWriter;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * End-to-end delivery (not JMH): for 10 s, 2 threads create one-span traces as fast as they can;
 * the Agent writer (default settings: queue 1024 traces, 1 s interval, 5 MiB buffer) sends them to a
 * loopback Agent that counts the spans it decodes. Prints spans created/s, delivered/s, dropped %,
 * and checks that every span was either delivered or counted as dropped.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.traced.benchmarks.DeliveryRun [seconds] [threads] [unix]</pre>
 *
 * With {@code unix} the Agent listens on a unix domain socket instead of TCP. The last line printed
 * is the CPU time of each thread group, to tell a writer short of CPU from one waiting on the Agent.
 */
public final class DeliveryRun {

    private DeliveryRun() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        boolean unix = args.length > 2 && args[2].equals("unix");
        AtomicLong received = new AtomicLong();
        HttpServer agent = unix ? null : countingAgent(received);
        java.nio.file.Path socket = unix ? java.nio.file.Files.createTempDirectory("delivery").resolve("apm.socket") : null;
        java.nio.channels.ServerSocketChannel socketAgent = unix ? countingSocketAgent(socket, received) : null;
        String url = unix ? "unix://" + socket : "http://127.0.0.1:" + agent.getAddress().getPort();

        CloseableTracer tracer = TracerBuilder.create().ignoreEnvironment()
                .config("dd.service", "delivery").config("dd.env", "bench")
                .config("dd.trace.agent.url", url).build();
        AgentWriter writer = (AgentWriter) ((CoreTracer) tracer).writer();

        LongAdder created = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                long mine = 0;
                while (running.get()) {
                    tracer.trace("delivery.op").finish();
                    mine++;
                }
                created.add(mine);
            }, "app-" + t);
        }
        long start = System.nanoTime();
        for (Thread worker : workers) {
            worker.start();
        }
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        running.set(false);
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        String cpu = ThreadCpu.byGroup("%.1f");
        long deliveredDuringRun = received.get();
        tracer.close(); // final flush of what is still queued
        if (agent != null) {
            agent.stop(0);
        } else {
            socketAgent.close();
        }

        long total = created.sum();
        long delivered = received.get();
        long dropped = writer.drops().totalSpans();
        System.out.printf("agent=%s threads=%d seconds=%.1f%n", url, threads, elapsed);
        System.out.printf("spans created:   %,d (%,.0f/s)%n", total, total / elapsed);
        System.out.printf("spans delivered: %,d (%,.0f/s; %,d during the run, %,.0f/s)%n", delivered,
                delivered / elapsed, deliveredDuringRun, deliveredDuringRun / elapsed);
        System.out.printf("spans dropped:   %,d (%.1f%%) %s%n", dropped, 100.0 * dropped / total, writer.drops());
        System.out.println("CPU seconds by thread group during the run: " + cpu);
        System.out.printf("created - delivered - dropped = %,d (0 means every drop was counted)%n",
                total - delivered - dropped);
    }
    /** The same counting Agent on a unix domain socket: one connection per request, as the transport uses it. */
    static java.nio.channels.ServerSocketChannel countingSocketAgent(java.nio.file.Path path, AtomicLong spans)
            throws IOException {
        java.nio.channels.ServerSocketChannel server =
                java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(java.net.UnixDomainSocketAddress.of(path));
        Thread thread = new Thread(() -> {
            byte[] ok = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                    .getBytes(StandardCharsets.ISO_8859_1);
            while (server.isOpen()) {
                try (java.nio.channels.SocketChannel client = server.accept()) {
                    InputStream in = new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(client), 1 << 16);
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        head.append((char) b);
                    }
                    int length = 0;
                    for (String line : head.toString().split("\r\n")) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    byte[] body = in.readNBytes(length);
                    if (head.toString().startsWith("PUT /v0.4/traces")) {
                        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(body)) {
                            int traces = unpacker.unpackArrayHeader();
                            long count = 0;
                            for (int t = 0; t < traces; t++) {
                                int n = unpacker.unpackArrayHeader();
                                count += n;
                                unpacker.skipValue(n);
                            }
                            spans.addAndGet(count);
                        }
                    }
                    client.write(java.nio.ByteBuffer.wrap(ok));
                } catch (IOException e) {
                    // closed
                }
            }
        }, "counting-agent");
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    /** The request body buffer of each counting Agent thread. */
    private static final ThreadLocal<byte[]> BODY = ThreadLocal.withInitial(() -> new byte[8 << 20]);

    /** A loopback Agent that answers 200 and counts the spans of each payload. */
    static HttpServer countingAgent(AtomicLong spans) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        byte[] ok = "{\"rate_by_service\":{\"service:,env:\":1.0}}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = BODY.get();
                int length = 0;
                try (InputStream in = exchange.getRequestBody()) {
                    // Into one array per Agent thread, kept: a real Agent is another process, whose
                    // allocations do not make the tracer's JVM collect (a new 5 MiB array per payload did).
                    for (int n; (n = in.read(body, length, body.length - length)) > 0; ) {
                        length += n;
                        if (length == body.length) {
                            body = java.util.Arrays.copyOf(body, body.length * 2);
                            BODY.set(body);
                        }
                    }
                }
                if (exchange.getRequestURI().getPath().equals("/v0.4/traces")) {
                    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(body, 0, length)) {
                        int traces = unpacker.unpackArrayHeader();
                        long count = 0;
                        for (int t = 0; t < traces; t++) {
                            int n = unpacker.unpackArrayHeader();
                            count += n;
                            unpacker.skipValue(n);
                        }
                        spans.addAndGet(count);
                    }
                    exchange.sendResponseHeaders(200, ok.length);
                    exchange.getResponseBody().write(ok);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        // Like the real Agent, serve connections concurrently (the JDK default runs handlers on its one
        // dispatcher thread).
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "counting-agent");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return server;
    }
}
