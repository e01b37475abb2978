package dev.traced.compat.glassfish;

import dev.traced.compat.shop.ServerProcess;
import dev.traced.compat.shop.ShopServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real GlassFish for the integration test: the unpacked distribution's pristine {@code domain1}
 * copied to a fresh domain {@value #DOMAIN} at each run, its listeners moved to free ports on
 * 127.0.0.1 in {@code domain.xml}, started with {@code asadmin start-domain} on a JDK 21+ (GlassFish
 * 8's minimum). Deployments go through {@code asadmin deploy}; the server stops with {@code asadmin
 * stop-domain}, and is killed if anything goes wrong, also from a JVM shutdown hook, so no server
 * outlives the test. Everything it writes stays under the build's {@code target/}.
 */
final class GlassFishServer implements ShopServer {

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
        ServerProcess.deleteTree(domain);
        copyTree(domains.resolve("domain1"), domain);

        Map<String, Integer> ports = ServerProcess.freePorts("http", "https", "admin", "jmx", "iiop", "iiop-ssl",
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
        serverProcess = ServerProcess.running(pidFile(), "GlassFish", serverLog());
    }

    @Override
    public int httpPort() {
        return ports.get("http");
    }

    /** Deploys the war under its file name without {@code .war} (also its context root): {@code asadmin deploy}. */
    @Override
    public void deploy(Path war) throws IOException, InterruptedException {
        asadmin(COMMAND_TIMEOUT, "deploy", "--force=true", war.toString());
    }

    @Override
    public void undeploy(String name) throws IOException, InterruptedException {
        asadmin(COMMAND_TIMEOUT, "undeploy", name);
    }

    /** Sets a system property of the running server ({@code asadmin create-system-properties}). */
    void systemProperty(String name, String value) throws IOException, InterruptedException {
        asadmin(COMMAND_TIMEOUT, "create-system-properties", name + "=" + value);
    }

    @Override
    public List<String> threads() throws IOException, InterruptedException {
        return ServerProcess.threads(javaHome, serverProcess, COMMAND_TIMEOUT, serverLog());
    }

    @Override
    public Path serverLog() {
        return domain.resolve("logs/server.log");
    }

    @Override
    public String log() {
        return ServerProcess.read(serverLog());
    }

    /** Orderly shutdown, as an operator would ({@code asadmin stop-domain}); true when it stopped. */
    @Override
    public boolean stop() throws IOException, InterruptedException {
        if (serverProcess == null || !serverProcess.isAlive()) {
            return true;
        }
        asadmin(STOP_TIMEOUT, "stop-domain"); // the domain at --host and --port
        return ServerProcess.awaitExit(serverProcess, STOP_TIMEOUT);
    }

    /** Stops the server if it still runs: {@code asadmin stop-domain}, else TERM, then KILL. */
    @Override
    public void close() {
        ServerProcess.close(this, this::kill, killer);
    }

    private void kill() {
        ServerProcess.kill(serverProcess, pidFile());
    }

    private Path pidFile() {
        return domain.resolve("config/pid");
    }

    private String asadmin(Duration timeout, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/asadmin").toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(ports.get("admin"))));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("glassfish-it-", ".out");
        try {
            int exit = ServerProcess.run(timeout, Map.of("JAVA_HOME", javaHome.toString(), "AS_JAVA", javaHome.toString()),
                    output, serverLog(), command.toArray(String[]::new));
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
}
