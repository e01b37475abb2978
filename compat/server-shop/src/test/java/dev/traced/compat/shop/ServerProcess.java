package dev.traced.compat.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The process and file chores the servers' drivers (GlassFishServer, LibertyServer) share: running a
 * command within a timeout, the server's threads by {@code jcmd}, its pid file, killing it, free ports,
 * reading a log and deleting a directory tree.
 */
public final class ServerProcess {

    private ServerProcess() {
    }

    /**
     * Runs a command, its output to a file, within a timeout; returns its exit code. A command that does
     * not finish is killed with its children, and the failure names the server log.
     */
    public static int run(Duration timeout, Map<String, String> environment, Path output, Path serverLog,
            String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout
                    + "; see " + serverLog);
        }
        return process.exitValue();
    }

    /** The threads of the server: name and stack, one entry each (from {@code jcmd <pid> Thread.print}). */
    public static List<String> threads(Path javaHome, ProcessHandle server, Duration timeout, Path serverLog)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("server-it-", ".out");
        String dump;
        try {
            String[] line = {javaHome.resolve("bin/jcmd").toString(), Long.toString(server.pid()), "Thread.print"};
            int exit = run(timeout, Map.of(), output, serverLog, line);
            dump = Files.readString(output, StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed: " + dump);
            }
        } finally {
            Files.deleteIfExists(output);
        }
        List<String> threads = new ArrayList<>();
        for (String block : dump.split("\n\n")) {
            if (block.startsWith("\"")) {
                threads.add(block);
            }
        }
        return threads;
    }

    /** The running process whose pid the server wrote to this file; fails naming the server log. */
    public static ProcessHandle running(Path pidFile, String server, Path serverLog) throws IOException {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                server + " (pid " + pid + ") is not running; see " + serverLog));
    }

    /**
     * Kills the server: TERM, then KILL after 20 s. With no process known yet (killed while starting),
     * the one in the pid file, if it is there already.
     */
    public static void kill(ProcessHandle known, Path pidFile) {
        ProcessHandle server = known;
        if (server == null) {
            try {
                server = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElse(null);
            } catch (IOException | RuntimeException e) {
                server = null;
            }
        }
        if (server == null || !server.isAlive()) {
            return;
        }
        server.destroy();
        try {
            server.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.destroyForcibly();
        }
    }

    /**
     * Closes the server: its orderly stop if it still runs, else (or if that fails) {@code kill}; then
     * removes the JVM shutdown hook that would have killed it.
     */
    public static void close(ShopServer server, Runnable kill, Thread killHook) {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The kill below stops it.
        }
        kill.run();
        try {
            Runtime.getRuntime().removeShutdownHook(killHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Already shutting down, or never started.
        }
    }

    /** Waits for the process to end; true when it did within the timeout. */
    public static boolean awaitExit(ProcessHandle server, Duration timeout) {
        try {
            server.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        }
        return !server.isAlive();
    }

    /** A port free on 127.0.0.1 now. */
    public static int freePort() throws IOException {
        return freePorts("port").get("port");
    }

    /** Distinct ports free on 127.0.0.1 now, by name. */
    public static Map<String, Integer> freePorts(String... names) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<ServerSocket> held = new ArrayList<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        try {
            for (String name : names) {
                ServerSocket socket = new ServerSocket(0, 1, loopback);
                held.add(socket);
                ports.put(name, socket.getLocalPort());
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return ports;
    }

    /** The file's text, empty when it cannot be read (a log not written yet). */
    public static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
