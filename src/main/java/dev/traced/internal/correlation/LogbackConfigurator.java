package dev.traced.internal.correlation;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;

/**
 * Logback's {@code Configurator} service (META-INF/services): Logback runs it when it starts, before
 * the application's own configuration (logback.xml), which it then lets run as usual. It configures
 * nothing: it only hooks the context for log correlation, so that the first event already has the ids.
 *
 * <p>It implements {@code ContextAware} by delegation rather than by extending Logback's base class, and
 * carries no Logback annotation (so it has the default rank), so that a CDI container scanning the
 * library's classes (Quarkus indexes them) never looks for a Logback type. Should an application's own
 * configurator of higher rank stop the chain before this one runs, the tracer hooks the context when
 * it starts instead.
 */
public final class LogbackConfigurator implements Configurator {

    private final ContextAwareBase aware = new ContextAwareBase(this);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        try {
            LogbackCorrelation.hook(context);
        } catch (RuntimeException | LinkageError e) {
            addWarn("traced could not hook Logback for log correlation", e);
        }
        return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }

    @Override
    public void setContext(Context context) {
        aware.setContext(context);
    }

    @Override
    public Context getContext() {
        return aware.getContext();
    }

    @Override
    public void addStatus(Status status) {
        aware.addStatus(status);
    }

    @Override
    public void addInfo(String msg) {
        aware.addInfo(msg);
    }

    @Override
    public void addInfo(String msg, Throwable ex) {
        aware.addInfo(msg, ex);
    }

    @Override
    public void addWarn(String msg) {
        aware.addWarn(msg);
    }

    @Override
    public void addWarn(String msg, Throwable ex) {
        aware.addWarn(msg, ex);
    }

    @Override
    public void addError(String msg) {
        aware.addError(msg);
    }

    @Override
    public void addError(String msg, Throwable ex) {
        aware.addError(msg, ex);
    }
}
