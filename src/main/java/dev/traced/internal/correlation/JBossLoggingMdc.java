package dev.traced.internal.correlation;

import org.jboss.logging.MDC;

/**
 * JBoss Logging's MDC, which writes to whatever backend JBoss Logging found (JBoss LogManager, Log4j 2,
 * Logback). Loaded only when {@code org.jboss.logging.MDC} is present and SLF4J is not usable.
 */
final class JBossLoggingMdc implements MdcAdapter {

    @Override
    public void put(String key, String value) {
        MDC.put(key, value);
    }

    @Override
    public void remove(String key) {
        MDC.remove(key);
    }
}
