package dev.traced.internal.correlation;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's {@code Configurator} service (META-INF/services): Logback runs it when it starts, before
 * the application's own configuration (logback.xml), which it then lets run as usual. It configures
 * nothing: it only hooks the context for log correlation, so that the first event already has the ids.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        try {
            LogbackCorrelation.hook(context);
        } catch (RuntimeException | LinkageError e) {
            addWarn("traced could not hook Logback for log correlation", e);
        }
        return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
}
