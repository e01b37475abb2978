package dev.traced.jaxrs;

import dev.traced.internal.jaxrs.ResourceBindingPortableExtension;
import io.undertow.Undertow;
import io.undertow.servlet.api.DeploymentInfo;
import jakarta.ws.rs.core.Application;
import org.jboss.resteasy.cdi.CdiInjectorFactory;
import org.jboss.resteasy.cdi.ResteasyCdiExtension;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;
import org.jboss.resteasy.spi.ResteasyDeployment;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * A real JAX-RS server for tests: Weld SE + RESTEasy (CDI injector) + Undertow on 127.0.0.1, a free
 * port. The traced library's providers come from its {@code META-INF/services}, as in an application.
 */
final class EmbeddedServer implements AutoCloseable {

    private final WeldContainer weld;
    private final PortServer server;
    private final URI baseUri;

    private EmbeddedServer(WeldContainer weld, PortServer server) {
        this.weld = weld;
        this.server = server;
        this.baseUri = URI.create("http://127.0.0.1:" + server.boundPort() + "/");
    }

    static EmbeddedServer start(Class<? extends Application> application, Class<?>... beanClasses) {
        // A synthetic archive: Weld loads no extension from META-INF/services, so ours is added by hand.
        WeldContainer weld = new Weld().disableDiscovery()
                .addExtension(new ResteasyCdiExtension())
                .addExtension(new ResourceBindingPortableExtension())
                .addBeanClasses(beanClasses)
                .initialize();
        try {
            ResteasyDeployment deployment = new ResteasyDeploymentImpl();
            deployment.setApplicationClass(application.getName());
            deployment.setInjectorFactoryClass(CdiInjectorFactory.class.getName());
            PortServer server = new PortServer();
            // Two workers: a resource that calls another resource of this server needs the second.
            server.start(Undertow.builder().addHttpListener(0, "127.0.0.1").setWorkerThreads(2));
            DeploymentInfo info = server.undertowDeployment(deployment).setContextPath("/")
                    .setDeploymentName("test").setClassLoader(EmbeddedServer.class.getClassLoader());
            server.deploy(info);
            return new EmbeddedServer(weld, server);
        } catch (RuntimeException e) {
            weld.shutdown();
            throw e;
        }
    }

    URI uri(String path) {
        return baseUri.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    WeldContainer weld() {
        return weld;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            weld.shutdown();
        }
    }

    /** Reads the port the listener bound (the server was asked for port 0). */
    private static final class PortServer extends UndertowJaxrsServer {
        int boundPort() {
            return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        }
    }
}
