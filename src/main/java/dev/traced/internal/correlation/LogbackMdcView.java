package dev.traced.internal.correlation;

import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.slf4j.spi.MDCAdapter;

import java.util.Deque;
import java.util.Map;

/**
 * The MDC adapter of a Logback {@code LoggerContext}, in front of the application's: every write and
 * read goes to the application's adapter unchanged; only {@link #getCopyOfContextMap}, which is how a
 * Logback event takes its MDC view, adds the ids of the span active on the calling thread. With no
 * span active it returns what the event would have read anyway, without copying.
 */
final class LogbackMdcView implements MDCAdapter {

    private final MDCAdapter delegate;
    /** Logback's own adapter hands out its read-only map without copying it. */
    private final LogbackMDCAdapter logback;

    LogbackMdcView(MDCAdapter delegate) {
        this.delegate = delegate;
        this.logback = delegate instanceof LogbackMDCAdapter own ? own : null;
    }

    @Override
    public Map<String, String> getCopyOfContextMap() {
        Map<String, String> user = logback != null ? logback.getPropertyMap() : delegate.getCopyOfContextMap();
        LogIds ids = LogCorrelation.activeIds();
        return ids == null ? user : new CorrelatedMap(user, ids);
    }

    @Override
    public void put(String key, String val) {
        delegate.put(key, val);
    }

    @Override
    public String get(String key) {
        return delegate.get(key);
    }

    @Override
    public void remove(String key) {
        delegate.remove(key);
    }

    @Override
    public void clear() {
        delegate.clear();
    }

    @Override
    public void setContextMap(Map<String, String> contextMap) {
        delegate.setContextMap(contextMap);
    }

    @Override
    public void pushByKey(String key, String value) {
        delegate.pushByKey(key, value);
    }

    @Override
    public String popByKey(String key) {
        return delegate.popByKey(key);
    }

    @Override
    public Deque<String> getCopyOfDequeByKey(String key) {
        return delegate.getCopyOfDequeByKey(key);
    }

    @Override
    public void clearDequeByKey(String key) {
        delegate.clearDequeByKey(key);
    }
}
