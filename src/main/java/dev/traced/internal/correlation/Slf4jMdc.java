package dev.traced.internal.correlation;

import org.slf4j.MDC;

/**
 * SLF4J's MDC: Logback, Log4j 2 through its SLF4J binding, and JBoss LogManager through
 * slf4j-jboss-logmanager (WildFly, Quarkus). Loaded only when {@code org.slf4j.MDC} is present.
 */
final class Slf4jMdc implements MdcAdapter {

    /** True when SLF4J has a real MDC (not the no-op one it uses without a provider). */
    static boolean usable() {
        return !MDC.getMDCAdapter().getClass().getName().contains("NOP");
    }

    @Override
    public void put(String key, String value) {
        MDC.put(key, value);
    }

    @Override
    public void remove(String key) {
        MDC.remove(key);
    }
}
