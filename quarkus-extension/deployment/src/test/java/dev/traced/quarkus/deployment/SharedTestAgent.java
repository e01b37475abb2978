package dev.traced.quarkus.deployment;

import dev.traced.testagent.TestAgent;

/**
 * One test Agent per test JVM. QuarkusUnitTest initialises a test class twice (once outside the
 * application, where its configuration is read, once inside); the library's test jar is loaded
 * parent-first ({@link #PARENT_FIRST}), so both see the same {@link TestAgent} class and this finds
 * the same instance through the system properties.
 */
final class SharedTestAgent {

    /** For {@code quarkus.class-loading.parent-first-artifacts}. */
    static final String PARENT_FIRST = "dev.traced:traced:tests";

    private static final String KEY = SharedTestAgent.class.getName();

    private SharedTestAgent() {
    }

    static TestAgent get() {
        synchronized (System.getProperties()) {
            return (TestAgent) System.getProperties().computeIfAbsent(KEY, key -> TestAgent.start());
        }
    }
}
