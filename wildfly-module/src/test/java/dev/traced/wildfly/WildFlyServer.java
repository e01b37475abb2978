package dev.traced.wildfly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real WildFly for the integration test: an unpacked {@code wildfly-dist} with our module installed,
 * started with {@code bin/standalone.sh} bound to 127.0.0.1 on a free port offset. Deployments go
 * through the deployment scanner (marker files); the server stops with {@code jboss-cli :shutdown}, and
 * is killed if anything goes wrong, also from a JVM shutdown hook, so no server outlives the test.
 */
final class WildFlyServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** WildFly's default ports that the offset moves; all must be free. */
    private static final String CONFIG = "traced-it.xml";
    private static final int[] PORTS = {8080, 8443, 9990, 9993, 8009, 4712, 4713};

    private final Path home;
    private final Path log;
    private final int portOffset;
    private Process script;
    private ProcessHandle java;
    private final Thread killer = new Thread(this::kill, "kill-wildfly");

    private WildFlyServer(Path home, Path log, int portOffset) {
        this.home = home;
        this.log = log;
        this.portOffset = portOffset;
    }

    /**
     * Prepares a clean server in {@code home}: the module zip unzipped into {@code modules}, no
     * deployments or state from an earlier run, and a fast deployment scanner.
     */
    static WildFlyServer prepare(Path home, Path moduleZip, Path log) throws IOException {
        if (!Files.isExecutable(home.resolve("bin/standalone.sh"))) {
            throw new IllegalStateException("no WildFly at " + home + " (mvn verify unpacks it)");
        }
        deleteTree(home.resolve("modules/dev/traced"));
        unzip(moduleZip, home.resolve("modules"));
        Path standalone = home.resolve("standalone");
        for (String dir : List.of("deployments", "data", "tmp", "log")) {
            deleteTree(standalone.resolve(dir));
        }
        Files.createDirectories(standalone.resolve("deployments"));
        // The test's own copy of the default configuration: what the test changes through the CLI
        // goes there and is gone at the next run.
        Path configuration = standalone.resolve("configuration");
        String xml = Files.readString(configuration.resolve("standalone.xml"));
        Files.writeString(configuration.resolve(CONFIG),
                xml.replace("scan-interval=\"5000\"", "scan-interval=\"250\""));
        deleteTree(configuration.resolve(CONFIG.replace(".xml", "_xml_history")));
        Files.deleteIfExists(log);
        return new WildFlyServer(home, log, freePortOffset());
    }

    /** Starts the server with these system properties and waits until it has started. */
    void start(Map<String, String> systemProperties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(),
                "-c", CONFIG, "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + portOffset));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The script then runs java in the background, forwards SIGTERM to it and waits for it.
        builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        Runtime.getRuntime().addShutdownHook(killer);
        script = builder.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!logContains("WFLYSRV0025") && !logContains("WFLYSRV0026")) {
            if (!script.isAlive()) {
                throw new IllegalStateException("WildFly exited with " + script.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("WildFly did not start in " + START_TIMEOUT + "; see " + log);
            }
            Thread.sleep(200);
        }
        java = script.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("jboss-modules.jar"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no WildFly java process under the script"));
    }

    int httpPort() {
        return 8080 + portOffset;
    }

    long pid() {
        return java.pid();
    }

    /** Copies the war into the deployment scanner's directory and waits until it is deployed. */
    void deploy(Path war) throws IOException, InterruptedException {
        Path deployments = home.resolve("standalone/deployments");
        String name = war.getFileName().toString();
        Files.deleteIfExists(deployments.resolve(name + ".undeployed"));
        Files.copy(war, deployments.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        awaitMarker(deployments, name, ".deployed");
    }

    /** Removes the war; the scanner undeploys it. */
    void undeploy(String name) throws IOException, InterruptedException {
        Path deployments = home.resolve("standalone/deployments");
        Files.delete(deployments.resolve(name));
        awaitMarker(deployments, name, ".undeployed");
    }

    private void awaitMarker(Path deployments, String name, String marker) throws InterruptedException {
        long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
        while (!Files.exists(deployments.resolve(name + marker))) {
            if (Files.exists(deployments.resolve(name + ".failed"))) {
                throw new IllegalStateException(name + " failed to deploy; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + name + marker + " after " + DEPLOY_TIMEOUT + "; see " + log);
            }
            Thread.sleep(100);
        }
    }

    /** Live threads of the server JVM, from its performance counters. */
    int threadCount() throws IOException, InterruptedException {
        String counters = jcmd("PerfCounter.print");
        return counters.lines()
                .filter(line -> line.startsWith("java.threads.live="))
                .map(line -> Integer.parseInt(line.substring("java.threads.live=".length()).trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no java.threads.live in " + counters));
    }

    /** Names of the server's live threads. */
    List<String> threadNames() throws IOException, InterruptedException {
        return jcmd("Thread.print").lines()
                .filter(line -> line.startsWith("\""))
                .map(line -> line.substring(1, line.indexOf('"', 1)))
                .toList();
    }

    /** After a full GC: how many class loaders of this deployment are still alive. */
    int liveClassLoaders(String deployment) throws IOException, InterruptedException {
        jcmd("GC.run");
        jcmd("GC.run");
        String needle = "\"deployment." + deployment + "\"";
        int count = 0;
        for (String line : jcmd("VM.classloaders").lines().toList()) {
            int at = line.indexOf(needle);
            if (at >= 0) {
                // The tree folds loaders of one name and type: "..., ModuleClassLoader (+ 2 more)".
                int more = line.indexOf("(+ ");
                count += 1 + (more < 0 ? 0 : Integer.parseInt(line.substring(more + 3, line.indexOf(' ', more + 3))));
            }
        }
        return count;
    }

    /** Runs one jboss-cli command against this server; returns its output. */
    String cli(String command) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(60), home.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + (9990 + portOffset), "--command=" + command);
    }

    /** The server log so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    boolean logContains(String text) {
        return log().contains(text);
    }

    /** Orderly shutdown through the management API, as an operator would; true when it stopped. */
    boolean shutdown() throws InterruptedException {
        if (script == null || !script.isAlive()) {
            return true;
        }
        try {
            cli(":shutdown");
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return script.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && !java.isAlive();
    }

    /**
     * Stops the server as a service manager or container runtime does: SIGTERM to the JVM, which
     * WildFly answers with an orderly shutdown (suspend, undeploy, stop); true when it stopped.
     */
    boolean terminate() throws InterruptedException {
        if (java == null || !java.isAlive()) {
            return true;
        }
        java.destroy();
        return script.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && !java.isAlive();
    }

    /** Stops the server if it still runs: jboss-cli {@code :shutdown}, else TERM, then KILL. */
    @Override
    public void close() {
        try {
            shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
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
        List<ProcessHandle> processes = new ArrayList<>();
        if (script != null) {
            script.descendants().forEach(processes::add);
            processes.add(script.toHandle());
        }
        if (java != null) {
            processes.add(java);
        }
        processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return run(Duration.ofSeconds(60), jcmd.toString(), Long.toString(java.pid()), command);
    }

    private static String run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("wildfly-it-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** A port offset whose moved default ports are all free on 127.0.0.1 now. */
    private static int freePortOffset() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = 1000 + ThreadLocalRandom.current().nextInt(40) * 100 + ThreadLocalRandom.current().nextInt(50);
            boolean free = true;
            for (int port : PORTS) {
                try (ServerSocket socket = new ServerSocket(port + offset, 1, loopback)) {
                    socket.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return offset;
            }
        }
        throw new IOException("no free port offset for WildFly");
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
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
