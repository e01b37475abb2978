package dev.traced.compat.liberty;

import dev.traced.compat.shop.ServerProcess;
import dev.traced.compat.shop.ShopServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Open Liberty for the integration test: a fresh server {@value #SERVER} in a user directory
 * of its own under the build's {@code target/} ({@code WLP_USER_DIR}), with the Jakarta EE 10 features
 * the row covers, its HTTP endpoint on a free port of 127.0.0.1 (HTTPS off), and the tracer's settings
 * in {@code jvm.options}, as a user configures a server. Started and stopped with {@code bin/server};
 * wars are deployed by copying them to {@code dropins/} and undeployed by deleting them, each step
 * waiting for Liberty's message that the application started or stopped. The server is killed if
 * anything goes wrong, also from a JVM shutdown hook, so no server outlives the test.
 */
final class LibertyServer implements ShopServer {

    static final String SERVER = "traced-it";
    /** The features of the row: Jakarta EE 10's CDI, REST server and client, and Concurrency. */
    static final List<String> FEATURES = List.of("cdi-4.0", "restfulWS-3.1", "restfulWSClient-3.1", "concurrent-3.0");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration APP_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final Path javaHome;
    private final Path userDir;
    private final Path serverDir;
    private final int httpPort;
    private ProcessHandle serverProcess;
    private final Thread killer = new Thread(this::kill, "kill-liberty");
    private boolean hooked;

    private LibertyServer(Path home, Path javaHome, Path userDir, int httpPort) {
        this.home = home;
        this.javaHome = javaHome;
        this.userDir = userDir;
        this.serverDir = userDir.resolve("servers").resolve(SERVER);
        this.httpPort = httpPort;
    }

    /** Prepares a clean server (its user directory beside the unpacked runtime) with these JVM options. */
    static LibertyServer prepare(Path home, Path javaHome, List<String> jvmOptions) throws IOException {
        if (!Files.isExecutable(home.resolve("bin/server"))) {
            throw new IllegalStateException("no Open Liberty at " + home + " (mvn verify unpacks it)");
        }
        if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
            throw new IllegalStateException("no JDK at " + javaHome + " (set liberty.java.home)");
        }
        Path userDir = home.getParent().resolve("usr-it");
        ServerProcess.deleteTree(userDir);
        LibertyServer server = new LibertyServer(home, javaHome, userDir, ServerProcess.freePort());
        Files.createDirectories(server.serverDir.resolve("dropins"));
        Files.writeString(server.serverDir.resolve("server.xml"), server.serverXml());
        server.jvmOptions(jvmOptions);
        return server;
    }

    private String serverXml() {
        StringBuilder features = new StringBuilder();
        for (String feature : FEATURES) {
            features.append("    <feature>").append(feature).append("</feature>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<server description=\"traced integration test\">\n"
                + "  <featureManager>\n" + features + "  </featureManager>\n"
                + "  <httpEndpoint id=\"defaultHttpEndpoint\" host=\"127.0.0.1\" httpPort=\"" + httpPort
                + "\" httpsPort=\"-1\"/>\n"
                // dropins/ polled often, so that a test waits little for a deployment to be noticed.
                + "  <applicationMonitor updateTrigger=\"polled\" pollingRate=\"250ms\" dropinsEnabled=\"true\"/>\n"
                + "</server>\n";
    }

    /** Replaces {@code jvm.options}: read at the next start. */
    void jvmOptions(List<String> options) throws IOException {
        Files.writeString(serverDir.resolve("jvm.options"), String.join("\n", options) + "\n");
    }

    /** Starts the server ({@code server start} returns once it has started); again after {@link #stop}. */
    void start() throws IOException, InterruptedException {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(killer);
            hooked = true;
        }
        server(START_TIMEOUT, "start");
        serverProcess = ServerProcess.running(pidFile(), "Open Liberty", serverLog());
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    /** Deploys the war (its file name without {@code .war} is the context root) and waits until it started. */
    @Override
    public void deploy(Path war) throws IOException, InterruptedException {
        String name = appName(war);
        int from = log().length();
        Files.copy(war, serverDir.resolve("dropins").resolve(war.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        awaitMessage(from, "CWWKZ0001I: Application " + name + " started", "CWWKZ0002E", "CWWKZ0004E");
    }

    /** Deletes the war from {@code dropins/} and waits until Liberty stopped the application. */
    @Override
    public void undeploy(String name) throws IOException, InterruptedException {
        int from = log().length();
        Files.delete(serverDir.resolve("dropins").resolve(name + ".war"));
        awaitMessage(from, "CWWKZ0009I: The application " + name + " has stopped successfully", "CWWKZ0010E");
    }

    private void awaitMessage(int from, String message, String... failures) throws InterruptedException {
        long deadline = System.nanoTime() + APP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String log = log();
            String since = log.length() >= from ? log.substring(from) : log;
            if (since.contains(message)) {
                return;
            }
            for (String failure : failures) {
                if (since.contains(failure)) {
                    throw new IllegalStateException(failure + " instead of " + message + "; see " + serverLog());
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no \"" + message + "\" in " + APP_TIMEOUT + "; see " + serverLog());
    }

    @Override
    public List<String> threads() throws IOException, InterruptedException {
        return ServerProcess.threads(javaHome, serverProcess, COMMAND_TIMEOUT, serverLog());
    }

    @Override
    public Path serverLog() {
        return serverDir.resolve("logs/messages.log");
    }

    @Override
    public String log() {
        return ServerProcess.read(serverLog());
    }

    /** Every server log of this run: Liberty renames {@code messages.log} aside at each start. */
    String allLogs() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> logs = Files.list(serverLog().getParent())) {
            for (Path log : logs.filter(l -> l.getFileName().toString().startsWith("messages")).sorted().toList()) {
                text.append(Files.readString(log, StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }

    /** Orderly shutdown, as an operator would ({@code server stop}); true when it stopped. */
    @Override
    public boolean stop() throws IOException, InterruptedException {
        if (serverProcess == null || !serverProcess.isAlive()) {
            return true;
        }
        server(COMMAND_TIMEOUT, "stop");
        return ServerProcess.awaitExit(serverProcess, COMMAND_TIMEOUT);
    }

    /** Stops the server if it still runs: {@code server stop}, else TERM, then KILL. */
    @Override
    public void close() {
        ServerProcess.close(this, this::kill, killer);
    }

    private void kill() {
        ServerProcess.kill(serverProcess, pidFile());
    }

    private Path pidFile() {
        return userDir.resolve("servers/.pid").resolve(SERVER + ".pid");
    }

    private void server(Duration timeout, String action) throws IOException, InterruptedException {
        Path output = Files.createTempFile("liberty-it-", ".out");
        try {
            int exit = ServerProcess.run(timeout, Map.of("JAVA_HOME", javaHome.toString(), "WLP_USER_DIR",
                    userDir.toString()), output, serverLog(), home.resolve("bin/server").toString(), action, SERVER);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new IllegalStateException("server " + action + " failed (exit " + exit + "): " + text
                        + "; see " + serverLog());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String appName(Path war) {
        String file = war.getFileName().toString();
        return file.endsWith(".war") ? file.substring(0, file.length() - 4) : file;
    }
}
