package dev.traced.internal.correlation;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;

import java.util.Arrays;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * JBoss LogManager's hook (WildFly, Quarkus): a handler placed first among the root logger's handlers,
 * so that LogManager calls it for each record on the logging thread before the console, file or async
 * handlers see the record. It copies the thread's MDC into the record (as an async handler would) and
 * adds the ids of the active span to that copy, never to the thread's MDC; formatters' {@code %X{..}}
 * and JSON formatters read the record's copy.
 *
 * <p>Why not LogManager's {@code MDCProvider} service: LogManager loads it once, with its own class
 * loader, which sees neither a WildFly deployment nor a Quarkus application, and Quarkus already fills
 * that slot with its Vert.x-aware MDC. Loaded only when JBoss LogManager is present.
 */
final class JBossLogManagerCorrelation {

    private static final Handler HANDLER = new LogIdsHandler();
    private static final int MAX_ATTEMPTS = 100;

    private JBossLogManagerCorrelation() {
    }

    /** Hooks the current log context's root logger; false when JBoss LogManager is not the JDK's LogManager. */
    static synchronized boolean hookRootLogger() {
        if (!(LogManager.getLogManager() instanceof org.jboss.logmanager.LogManager)) {
            return false;
        }
        Logger root = LogContext.getLogContext().getLogger("");
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Handler[] handlers = root.getHandlers();
            if (Arrays.asList(handlers).contains(HANDLER)) {
                return true;
            }
            Handler[] first = new Handler[handlers.length + 1];
            first[0] = HANDLER;
            System.arraycopy(handlers, 0, first, 1, handlers.length);
            if (root.compareAndSetHandlers(handlers, first)) {
                return true;
            }
        }
        return false;
    }

    /** Takes the handler out again (the last tracer closed, say when an application is undeployed). */
    static synchronized void unhookRootLogger() {
        if (LogManager.getLogManager() instanceof org.jboss.logmanager.LogManager) {
            LogContext.getLogContext().getLogger("").removeHandler(HANDLER);
        }
    }

    /** Adds the correlation keys to each record logged while a span is active; publishes nothing itself. */
    static final class LogIdsHandler extends Handler {

        @Override
        public void publish(LogRecord record) {
            if (!(record instanceof ExtLogRecord ext)) {
                return;
            }
            LogIds ids = LogCorrelation.activeIds();
            if (ids == null) {
                return;
            }
            ext.copyMdc();
            for (String key : LogIds.KEYS) {
                String value = ids.get(key);
                if (value != null && ext.getMdc(key) == null) {
                    ext.putMdc(key, value);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
