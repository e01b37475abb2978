package dev.traced.compat.w3c;

import io.undertow.Undertow;
import org.jboss.resteasy.cdi.CdiInjectorFactory;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;
import org.jboss.resteasy.spi.ResteasyDeployment;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * The test service for the W3C Trace Context harness: Weld SE, RESTEasy and Undertow on 127.0.0.1,
 * configured like any traced application ({@code -Ddd.*} or {@code DD_*}). Run it with a port
 * (the harness is told {@code http://127.0.0.1:<port>/test}); see README.md.
 */
public final class HarnessService implements AutoCloseable {

    private final WeldContainer weld;
    private final Server server;

    private HarnessService(WeldContainer weld, Server server) {
        this.weld = weld;
        this.server = server;
    }

    /** Starts the service on {@code port} of 127.0.0.1 (0: any free port). */
    public static HarnessService start(int port) {
        WeldContainer weld = new Weld().initialize();
        try {
            ResteasyDeployment deployment = new ResteasyDeploymentImpl();
            deployment.setApplicationClass(HarnessApplication.class.getName());
            deployment.setInjectorFactoryClass(CdiInjectorFactory.class.getName());
            Server server = new Server();
            server.start(Undertow.builder().addHttpListener(port, "127.0.0.1"));
            server.deploy(server.undertowDeployment(deployment).setContextPath("/").setDeploymentName("w3c")
                    .setClassLoader(HarnessService.class.getClassLoader()));
            return new HarnessService(weld, server);
        } catch (RuntimeException e) {
            weld.shutdown();
            throw e;
        }
    }

    /** The endpoint to give the harness. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.boundPort() + "/test");
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            weld.shutdown();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        HarnessService service = start(args.length > 0 ? Integer.parseInt(args[0]) : 5000);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close));
        System.out.println("W3C harness service: " + service.endpoint() + " (dd.trace.propagation.style="
                + System.getProperty("dd.trace.propagation.style", "default") + ")");
        new CountDownLatch(1).await();
    }

    /** Reads the port the listener bound. */
    private static final class Server extends UndertowJaxrsServer {
        int boundPort() {
            return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        }
    }
}
