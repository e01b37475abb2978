package dev.traced.internal.correlation;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusManager;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.MDCAdapter;

import java.util.List;

/**
 * Logback's hook: a Logback event reads its MDC view from its {@link LoggerContext}'s MDC adapter, once,
 * on the logging thread (when an appender first asks for it, or when an async appender prepares the
 * event). Replacing that adapter with a {@link LogbackMdcView} makes every event's view show the ids of
 * the span active at the logging call, while SLF4J's {@code MDC} class keeps writing and reading the
 * application's own adapter. Installed when a tracer starts (no span exists before one does); Logback's
 * reconfigurations keep it. Loaded only when Logback is present.
 *
 * <p>Not through Logback's {@code Configurator} service: Logback 1.2 treats any such service as the
 * application's whole configuration (and calls it with another signature), which would break the
 * application's logback.xml there.
 */
final class LogbackCorrelation {

    private LogbackCorrelation() {
    }

    /** Hooks the context SLF4J logs to; false when SLF4J's backend is not Logback (1.3 or later). */
    static boolean hookSlf4jContext() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext context && hook(context);
    }

    /** Puts the view in front of the context's MDC adapter, once; true when it is there. */
    static boolean hook(LoggerContext context) {
        synchronized (LogbackCorrelation.class) {
            MDCAdapter adapter = context.getMDCAdapter();
            if (adapter instanceof LogbackMdcView) {
                return true;
            }
            if (adapter == null) {
                return false;
            }
            StatusManager statuses = context.getStatusManager();
            int before = statuses.getCount();
            context.setMDCAdapter(new LogbackMdcView(adapter));
            dropReplacementWarning(statuses, before);
            statuses.add(new InfoStatus("traced: each event's MDC view carries dd.trace_id and dd.span_id of the "
                    + "span active when it is logged", context));
            return true;
        }
    }

    /**
     * Logback records replacing the adapter as a warning (and prints the whole status list when a
     * configuration has warnings); replacing it is what we meant to do, so that one warning is taken
     * back out (only when no status listener has already been told of it).
     */
    private static void dropReplacementWarning(StatusManager statuses, int before) {
        if (statuses.getCount() != before + 1 || !statuses.getCopyOfStatusListenerList().isEmpty()) {
            return;
        }
        List<Status> all = statuses.getCopyOfStatusList();
        Status last = all.isEmpty() ? null : all.get(all.size() - 1);
        if (last == null || last.getLevel() != Status.WARN || last.getMessage() == null
                || !last.getMessage().startsWith("mdcAdapter")) {
            return;
        }
        statuses.clear();
        for (Status status : all.subList(0, all.size() - 1)) {
            statuses.add(status);
        }
    }
}
