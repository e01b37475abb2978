package dev.traced.examples.sandwich;

import io.undertow.Undertow;
import org.jboss.resteasy.cdi.CdiInjectorFactory;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;
import org.jboss.resteasy.spi.ResteasyDeployment;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The shop as a running server: Weld SE (CDI), RESTEasy (JAX-RS, resources as CDI beans) and
 * Undertow on 127.0.0.1 and a free port. Closing it stops the server, then the container, which
 * closes the tracer: the last traces are flushed then.
 */
public final class ShopServer implements AutoCloseable {

    private final WeldContainer weld;
    private final Server server;
    private final URI baseUri;

    private ShopServer(WeldContainer weld, Server server) {
        this.weld = weld;
        this.server = server;
        this.baseUri = URI.create("http://127.0.0.1:" + server.boundPort() + "/");
    }

    /** Starts the shop; {@code extraBeans} lets a test add its own beans (an InMemoryTraces producer). */
    public static ShopServer start(Class<?>... extraBeans) {
        // Bean discovery finds this application's beans and the library's (both jars have a
        // beans.xml); RESTEasy's CDI extension makes the resources CDI beans.
        WeldContainer weld = new Weld().addBeanClasses(extraBeans).initialize();
        try {
            ResteasyDeployment deployment = new ResteasyDeploymentImpl();
            deployment.setApplicationClass(ShopApplication.class.getName());
            deployment.setInjectorFactoryClass(CdiInjectorFactory.class.getName());
            Server server = new Server();
            server.start(Undertow.builder().addHttpListener(0, "127.0.0.1"));
            server.deploy(server.undertowDeployment(deployment).setContextPath("/").setDeploymentName("shop")
                    .setClassLoader(ShopServer.class.getClassLoader()));
            return new ShopServer(weld, server);
        } catch (RuntimeException e) {
            weld.shutdown();
            throw e;
        }
    }

    public URI uri(String path) {
        return baseUri.resolve(path);
    }

    public <T> T bean(Class<T> type) {
        return weld.select(type).get();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            weld.shutdown();
        }
    }

    /** Reads the port the listener bound. */
    private static final class Server extends UndertowJaxrsServer {
        int boundPort() {
            return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        }
    }
}
