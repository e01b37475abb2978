package com.example;

import dev.traced.testagent.TestAgent;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the test Agent before the application and points {@code dd.trace.agent.url} at it. The
 * Agent is kept in the system properties so the test, loaded by Quarkus' class loader, finds the same
 * instance (the test jar is parent-first, see application.properties).
 */
public class AgentResource implements QuarkusTestResourceLifecycleManager {

    private static final String KEY = AgentResource.class.getName();

    static TestAgent agent() {
        synchronized (System.getProperties()) {
            return (TestAgent) System.getProperties().computeIfAbsent(KEY, key -> TestAgent.start());
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of("dd.trace.agent.url", agent().url());
    }

    @Override
    public void stop() {
        agent().close();
        System.getProperties().remove(KEY);
    }
}
