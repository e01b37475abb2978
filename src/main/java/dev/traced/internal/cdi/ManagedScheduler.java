package dev.traced.internal.cdi;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Jakarta Concurrency's default managed scheduled executor, for the writer's flush task. Looked up in
 * JNDI only when the Jakarta Concurrency API is on the class path: elsewhere (Weld SE, a servlet
 * container) there is none to find, so the look-up is not even tried, and the writer uses its own
 * daemon thread.
 */
final class ManagedScheduler {

    /** The API type that a server with managed executors has: its absence means there is nothing to look up. */
    static final String API = "jakarta.enterprise.concurrent.ManagedScheduledExecutorService";

    /**
     * Where the container's default managed scheduled executor is: the portable name first, then
     * WildFly's global name, which also resolves on threads without a component's naming context
     * (the library as a WildFly module, a bean built during bootstrap).
     */
    static final List<String> NAMES = List.of("java:comp/DefaultManagedScheduledExecutorService",
            "java:jboss/ee/concurrency/scheduler/default");

    private ManagedScheduler() {
    }

    /** The default managed scheduled executor, or null when there is none. */
    static ScheduledExecutorService lookup() {
        if (!apiPresent()) {
            return null;
        }
        try {
            return Jndi.lookup();
        } catch (RuntimeException | LinkageError e) {
            // No naming at all (a runtime without java.naming): no managed executor either.
            return null;
        }
    }

    static boolean apiPresent() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return loadable(context) || loadable(ManagedScheduler.class.getClassLoader());
    }

    private static boolean loadable(ClassLoader loader) {
        if (loader == null) {
            return false;
        }
        try {
            Class.forName(API, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Kept apart so that a runtime without {@code java.naming} only fails inside the catch above. */
    private static final class Jndi {
        static ScheduledExecutorService lookup() {
            for (String name : NAMES) {
                try {
                    Object found = new InitialContext().lookup(name);
                    if (found instanceof ScheduledExecutorService scheduler) {
                        return scheduler;
                    }
                } catch (NamingException | RuntimeException e) {
                    // Not bound here; try the next name.
                }
            }
            return null;
        }
    }
}
