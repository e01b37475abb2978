package dev.traced.compat.shop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ShopOnServerIT} does with a real server, each implementation driving its own (its start
 * and configuration are the subclass's). Failures name the server log, for the build log to point at it.
 */
public interface ShopServer extends AutoCloseable {

    /** The HTTP port, on 127.0.0.1. */
    int httpPort();

    /** Deploys the war under its file name without {@code .war} (also its context root). */
    void deploy(Path war) throws IOException, InterruptedException;

    /** Undeploys the application of that name and returns once the server has stopped it. */
    void undeploy(String name) throws IOException, InterruptedException;

    /** Orderly shutdown, as an operator would; true when the server process ended. */
    boolean stop() throws IOException, InterruptedException;

    /** The server's threads: name and stack, one entry each (from {@code jcmd Thread.print}). */
    List<String> threads() throws IOException, InterruptedException;

    /** The server's log file, named in failure messages. */
    Path serverLog();

    /** The server log so far ({@link #serverLog()}), empty if there is none yet. */
    String log();

    /** Stops the server if it still runs, killing it if it must. */
    @Override
    void close();
}
