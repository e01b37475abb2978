package dev.traced.benchmarks;

import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import dev.traced.internal.jaxrs.ResourceBindingPortableExtension;
import dev.traced.internal.jaxrs.ResourceInvocationInterceptor;
import io.undertow.Undertow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Application;
import org.jboss.resteasy.cdi.CdiInjectorFactory;
import org.jboss.resteasy.cdi.ResteasyCdiExtension;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;
import org.jboss.resteasy.spi.ResteasyDeployment;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the JAX-RS server filter adds to a request: the same request to an embedded server
 * (Weld SE + RESTEasy + Undertow on 127.0.0.1) with tracing on ({@code dd.trace.writer=none}, so
 * only span creation and tagging is measured, not I/O) and off ({@code dd.trace.enabled=false}: the
 * filters are registered but find no tracer to use), over one keep-alive connection.
 *
 * <p>Prints median and p99 latency per mode and the bytes allocated per request (all threads of the
 * JVM, from {@code com.sun.management.ThreadMXBean}); the difference between the modes is the cost
 * of the filters, the span, its tags and trace assembly. Rounds alternate on/off to spread JIT and
 * machine noise over both; the best round of each mode is compared. On a busy machine, compare the
 * CPU time per request (all threads) rather than the latency. Run:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.traced.benchmarks.ServerFilterRun [requests] [rounds] [traced-caller]
 * </pre>
 * With {@code traced-caller}, each request carries the headers a Datadog-traced caller sends in the
 * default styles ({@code x-datadog-*}, {@code traceparent}, {@code tracestate}, {@code baggage}, the
 * same as {@link PropagationComparisonBenchmark}'s), so the server span continues that trace; without
 * it, the request carries none and the server span starts a trace.
 */
public final class ServerFilterRun {

    private ServerFilterRun() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean tracedCaller = args.length > 2 && args[2].equals("traced-caller");
        System.out.println(tracedCaller ? "requests carry a traced caller's headers (default styles)"
                : "requests carry no trace headers");
        System.setProperty("dd.trace.writer", "none");
        System.setProperty("dd.service", "bench");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (var handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
        // Round 1 only warms the JIT (RESTEasy's paths compile during whichever run comes first);
        // each later round runs off then on back to back, and the figure is the median of the
        // per-round differences, which cancels the drift of a shared machine between rounds.
        List<double[]> deltas = new ArrayList<>();
        for (int round = 1; round <= rounds + 1; round++) {
            Result off = run(false, requests, tracedCaller);
            Result on = run(true, requests, tracedCaller);
            String label = round == 1 ? "warm-up" : "round " + (round - 1);
            System.out.println(label + ": " + off);
            System.out.println(label + ": " + on);
            if (round > 1) {
                deltas.add(new double[] {(on.median - off.median) / 1000.0, (on.p99 - off.p99) / 1000.0,
                    on.bytesPerRequest - off.bytesPerRequest, (on.cpuNanosPerRequest - off.cpuNanosPerRequest) / 1000.0});
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT,
                "added by tracing (median of %d paired rounds): median %+.2f us, p99 %+.2f us, %+.0f bytes/request,"
                        + " cpu %+.2f us/request%n",
                deltas.size(), medianOf(deltas, 0), medianOf(deltas, 1), medianOf(deltas, 2), medianOf(deltas, 3));
    }

    private static double medianOf(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(row -> row[column]).sorted().toArray();
        return values[values.length / 2];
    }

    record Result(boolean tracing, int requests, long median, long p99, double bytesPerRequest,
                  double cpuNanosPerRequest) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "tracing %-3s  %d requests  median %.2f us  p99 %.2f us  %.0f bytes/request  cpu %.2f us/request",
                    tracing ? "on" : "off", requests, median / 1000.0, p99 / 1000.0, bytesPerRequest,
                    cpuNanosPerRequest / 1000.0);
        }
    }

    private static Result run(boolean tracing, int requests, boolean tracedCaller) throws Exception {
        System.setProperty("dd.trace.enabled", Boolean.toString(tracing));
        WeldContainer weld = new Weld().disableDiscovery()
                .addExtension(new ResteasyCdiExtension())
                .addExtension(new ResourceBindingPortableExtension())
                .addBeanClasses(TracerHolder.class, TracedInterceptor.class,
                        ResourceInvocationInterceptor.class, BenchResource.class)
                .initialize();
        PortServer server = new PortServer();
        try {
            ResteasyDeployment deployment = new ResteasyDeploymentImpl();
            deployment.setApplicationClass(BenchApplication.class.getName());
            deployment.setInjectorFactoryClass(CdiInjectorFactory.class.getName());
            server.start(Undertow.builder().addHttpListener(0, "127.0.0.1").setWorkerThreads(2));
            server.deploy(server.undertowDeployment(deployment).setContextPath("/").setDeploymentName("bench")
                    .setClassLoader(ServerFilterRun.class.getClassLoader()));
            try (Socket socket = new Socket("127.0.0.1", server.boundPort())) {
                socket.setTcpNoDelay(true);
                Client client = new Client(socket, tracedCaller);
                for (int i = 0; i < Math.max(10_000, requests / 2); i++) {
                    client.get();
                }
                long[] latencies = new long[requests];
                long allocatedBefore = allocatedBytes();
                long cpuBefore = cpuNanos();
                for (int i = 0; i < requests; i++) {
                    long start = System.nanoTime();
                    client.get();
                    latencies[i] = System.nanoTime() - start;
                }
                long allocated = allocatedBytes() - allocatedBefore;
                long cpu = cpuNanos() - cpuBefore;
                Arrays.sort(latencies);
                return new Result(tracing, requests, latencies[requests / 2], latencies[(int) (requests * 0.99)],
                        (double) allocated / requests, (double) cpu / requests);
            }
        } finally {
            server.stop();
            weld.shutdown();
        }
    }

    /** Bytes allocated so far by every live thread (client, Undertow I/O and worker threads). */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    /**
     * CPU time used so far by every live thread: less sensitive than latency to the other processes
     * of a shared machine, since waiting for a core does not count.
     */
    private static long cpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            total += Math.max(0, threads.getThreadCpuTime(id));
        }
        return total;
    }

    /** A minimal HTTP/1.1 keep-alive client, so the client side allocates little and always the same. */
    private static final class Client {
        private static final byte[] REQUEST = ("GET /bench/42 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "User-Agent: bench/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TRACED_REQUEST = ("GET /bench/42 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "User-Agent: bench/1.0\r\n"
                + "x-datadog-trace-id: 7298014646913713143\r\n"
                + "x-datadog-parent-id: 5208512171318403364\r\n"
                + "x-datadog-sampling-priority: 1\r\n"
                + "x-datadog-tags: _dd.p.dm=-1,_dd.p.tid=9291375655657946\r\n"
                + "traceparent: " + PropagationComparisonBenchmark.TRACEPARENT + "\r\n"
                + "tracestate: " + PropagationComparisonBenchmark.TRACESTATE + "\r\n"
                + "baggage: " + PropagationComparisonBenchmark.BAGGAGE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        private final OutputStream out;
        private final InputStream in;
        private final byte[] request;
        private final byte[] line = new byte[1024];

        Client(Socket socket, boolean tracedCaller) throws IOException {
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream(), 8192);
            this.request = tracedCaller ? TRACED_REQUEST : REQUEST;
        }

        void get() throws IOException {
            out.write(request);
            out.flush();
            int contentLength = -1;
            boolean chunked = false;
            boolean first = true;
            while (true) {
                int length = readLine();
                if (length == 0) {
                    break;
                }
                if (first) {
                    if (line[9] != '2') {
                        throw new IOException("unexpected status line: " + new String(line, 0, length, StandardCharsets.US_ASCII));
                    }
                    first = false;
                } else if (startsWithIgnoreCase(length, "content-length:")) {
                    contentLength = Integer.parseInt(new String(line, 15, length - 15, StandardCharsets.US_ASCII).trim());
                } else if (startsWithIgnoreCase(length, "transfer-encoding:")) {
                    chunked = true;
                }
            }
            if (chunked) {
                while (true) {
                    int size = Integer.parseInt(new String(line, 0, readLine(), StandardCharsets.US_ASCII).trim(), 16);
                    skip(size);
                    readLine();
                    if (size == 0) {
                        return;
                    }
                }
            }
            skip(Math.max(0, contentLength));
        }

        private boolean startsWithIgnoreCase(int length, String prefix) {
            if (length < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (Character.toLowerCase(line[i]) != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Reads one CRLF-terminated line into {@link #line}; returns its length without the CRLF. */
        private int readLine() throws IOException {
            int length = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b == '\n') {
                    return length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                }
                if (length < line.length) {
                    line[length++] = (byte) b;
                }
            }
        }

        private void skip(int bytes) throws IOException {
            for (int i = 0; i < bytes; i++) {
                if (in.read() < 0) {
                    throw new IOException("connection closed");
                }
            }
        }
    }

    /** Reads the port the listener bound. */
    private static final class PortServer extends UndertowJaxrsServer {
        int boundPort() {
            return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        }
    }

    public static class BenchApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(BenchResource.class);
        }
    }

    @ApplicationScoped
    @Path("/bench")
    public static class BenchResource {
        @GET
        @Path("{id}")
        public String get(@PathParam("id") String id) {
            return "sandwich " + id;
        }
    }
}
