package dev.traced.compat.glassfish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real GlassFish for the integration test: the unpacked distribution's pristine {@code domain1}
 * copied to a fresh domain {@value #DOMAIN} at each run, its listeners moved to free ports on
 * 127.0.0.1 in {@code domain.xml}, started with {@code asadmin start-domain} on a JDK 21+ (GlassFish
 * 8's minimum). Deployments go through {@code asadmin deploy}; the server stops with {@code asadmin
 * stop-domain}, and is killed if anything goes wrong, also from a JVM shutdown hook, so no server
 * outlives the test. Everything it writes stays under the build's {@code target/}.
 */
final class GlassFishServer implements AutoCloseable {

    static final String DOMAIN = "traced-it";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final Path javaHome;
    private final Path domain;
    private final Path asadminLog;
    private final Map<String, Integer> ports;
    private ProcessHandle serverProcess;
    private final Thread killer = new Thread(this::kill, "kill-glassfish");

    private GlassFishServer(Path home, Path javaHome, Path domain, Path asadminLog, Map<String, Integer> ports) {
        this.home = home;
        this.javaHome = javaHome;
        this.domain = domain;
        this.asadminLog = asadminLog;
        this.ports = ports;
    }

    /**
     * Prepares a clean domain: a copy of the distribution's {@code domain1} (never started itself, so
     * it stays as unpacked), every listener on a free loopback port, and these JVM options.
     */
    static GlassFishServer prepare(Path home, Path javaHome, List<String> jvmOptions) throws IOException {
        Path asadmin = home.resolve("bin/asadmin");
        if (!Files.isExecutable(asadmin)) {
            throw new IllegalStateException("no GlassFish at " + home + " (mvn verify unpacks it)");
        }
        if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
            throw new IllegalStateException("no JDK at " + javaHome + " (GlassFish 8 needs Java 21+; set glassfish.java.home)");
        }
        Path domains = home.resolve("glassfish/domains");
        Path domain = domains.resolve(DOMAIN);
        deleteTree(domain);
        copyTree(domains.resolve("domain1"), domain);

        Map<String, Integer> ports = freePorts("http", "https", "admin", "jmx", "iiop", "iiop-ssl",
                "iiop-mutual", "jms", "osgi-shell");
        Path domainXml = domain.resolve("config/domain.xml");
        Files.writeString(domainXml, configure(Files.readString(domainXml), ports, jvmOptions));
        Path asadminLog = home.getParent().resolve("asadmin.log");
        Files.deleteIfExists(asadminLog);
        return new GlassFishServer(home, javaHome, domain, asadminLog, ports);
    }

    /**
     * The server's configuration ({@code server-config}, the first {@code <config>}) with its ports
     * replaced, every listener bound to 127.0.0.1, and the JVM options added. Each edit must apply exactly
     * once, so a changed {@code domain.xml} fails here rather than starting on the default ports.
     */
    private static String configure(String xml, Map<String, Integer> ports, List<String> jvmOptions) {
        int start = xml.indexOf("<config name=\"server-config\"");
        int end = xml.indexOf("</config>", start);
        if (start < 0 || end < 0) {
            throw new IllegalStateException("no server-config in domain.xml");
        }
        String config = xml.substring(start, end);
        config = replaceOnce(config, "<network-listener port=\"8080\"",
                "<network-listener address=\"127.0.0.1\" port=\"" + ports.get("http") + "\"");
        config = replaceOnce(config, "<network-listener port=\"8181\"",
                "<network-listener address=\"127.0.0.1\" port=\"" + ports.get("https") + "\"");
        config = replaceOnce(config, "<network-listener port=\"4848\"",
                "<network-listener address=\"127.0.0.1\" port=\"" + ports.get("admin") + "\"");
        config = replaceOnce(config, "address=\"0.0.0.0\" port=\"8686\"",
                "address=\"127.0.0.1\" port=\"" + ports.get("jmx") + "\"");
        config = replaceOnce(config, "address=\"0.0.0.0\" port=\"3700\"",
                "address=\"127.0.0.1\" port=\"" + ports.get("iiop") + "\"");
        config = replaceOnce(config, "address=\"0.0.0.0\" port=\"3820\"",
                "address=\"127.0.0.1\" port=\"" + ports.get("iiop-ssl") + "\"");
        config = replaceOnce(config, "address=\"0.0.0.0\" port=\"3920\"",
                "address=\"127.0.0.1\" port=\"" + ports.get("iiop-mutual") + "\"");
        config = replaceOnce(config, "value=\"7676\"", "value=\"" + ports.get("jms") + "\"");
        config = replaceOnce(config, "telnet.port=6666", "telnet.port=" + ports.get("osgi-shell"));
        StringBuilder options = new StringBuilder();
        for (String option : jvmOptions) {
            options.append("        <jvm-options>").append(escapeXml(option)).append("</jvm-options>\n");
        }
        config = replaceOnce(config, "</java-config>", options + "      </java-config>");
        // GlassFish adds this at the first start with host "localhost", which its lazy JMS listener
        // reads as 0.0.0.0: given here, the listener binds loopback only.
        config += "  <jms-service type=\"EMBEDDED\" default-jms-host=\"default_JMS_host\" addresslist-behavior=\"priority\">\n"
                + "        <jms-host name=\"default_JMS_host\" host=\"127.0.0.1\" port=\"${JMS_PROVIDER_PORT}\""
                + " admin-user-name=\"admin\" admin-password=\"admin\" lazy-init=\"true\"/>\n"
                + "      </jms-service>\n    ";
        return xml.substring(0, start) + config + xml.substring(end);
    }

    /** Starts the domain and waits until its admin listener answers. */
    void start() throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(killer);
        asadmin(START_TIMEOUT, "start-domain", DOMAIN);
        long pid = Long.parseLong(Files.readString(domain.resolve("config/pid")).trim());
        serverProcess = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                "GlassFish (pid " + pid + ") is not running; see " + serverLog()));
    }

    int httpPort() {
        return ports.get("http");
    }

    /** Deploys the war under its file name without {@code .war} (also its context root). */
    void deploy(Path war) throws IOException, InterruptedException {
        asadmin(COMMAND_TIMEOUT, "deploy", "--force=true", war.toString());
    }

    void undeploy(String name) throws IOException, InterruptedException {
        asadmin(COMMAND_TIMEOUT, "undeploy", name);
    }

    /** Sets a system property of the running server ({@code asadmin create-system-properties}). */
    void systemProperty(String name, String value) throws IOException, InterruptedException {
        asadmin(COMMAND_TIMEOUT, "create-system-properties", name + "=" + value);
    }

    /** The server's threads: name and stack, one entry each (from {@code jcmd Thread.print}). */
    List<String> threads() throws IOException, InterruptedException {
        String dump = jcmd("Thread.print");
        List<String> threads = new ArrayList<>();
        for (String block : dump.split("\n\n")) {
            if (block.startsWith("\"")) {
                threads.add(block);
            }
        }
        return threads;
    }

    Path serverLog() {
        return domain.resolve("logs/server.log");
    }

    /** The server log so far. */
    String log() {
        try {
            return Files.readString(serverLog(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Orderly shutdown, as an operator would ({@code asadmin stop-domain}); true when it stopped. */
    boolean stop() throws IOException, InterruptedException {
        if (serverProcess == null || !serverProcess.isAlive()) {
            return true;
        }
        asadmin(STOP_TIMEOUT, "stop-domain"); // the domain at --host and --port
        try {
            serverProcess.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        }
        return !serverProcess.isAlive();
    }

    /** Stops the server if it still runs: {@code asadmin stop-domain}, else TERM, then KILL. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The kill below stops it.
        }
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Already shutting down, or never started.
        }
    }

    private void kill() {
        ProcessHandle server = serverProcess;
        if (server == null) {
            // Killed while starting: the pid file may be there already.
            try {
                long pid = Long.parseLong(Files.readString(domain.resolve("config/pid")).trim());
                server = ProcessHandle.of(pid).orElse(null);
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

    private String asadmin(Duration timeout, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/asadmin").toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(ports.get("admin"))));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("glassfish-it-", ".out");
        try {
            int exit = run(timeout, Map.of("JAVA_HOME", javaHome.toString(), "AS_JAVA", javaHome.toString()),
                    output, command.toArray(String[]::new));
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.writeString(asadminLog, "$ asadmin " + String.join(" ", arguments) + " (exit " + exit + ")\n" + text,
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (exit != 0) {
                throw new IllegalStateException("asadmin " + String.join(" ", arguments) + " failed: " + text
                        + "; see " + serverLog());
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("glassfish-it-", ".out");
        try {
            String[] line = {javaHome.resolve("bin/jcmd").toString(), Long.toString(serverProcess.pid()), command};
            int exit = run(COMMAND_TIMEOUT, Map.of(), output, line);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed: " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Runs a command, its output to a file, within a timeout; returns its exit code. */
    private int run(Duration timeout, Map<String, String> environment, Path output, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout
                    + "; see " + serverLog());
        }
        return process.exitValue();
    }

    /** Distinct ports free on 127.0.0.1 now, by name. */
    private static Map<String, Integer> freePorts(String... names) throws IOException {
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

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException("domain.xml's server-config has not exactly one " + from);
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private static String escapeXml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
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
