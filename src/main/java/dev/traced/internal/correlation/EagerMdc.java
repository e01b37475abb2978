package dev.traced.internal.correlation;

import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.TraceSettings;

import static dev.traced.internal.correlation.LogCorrelation.ENV;
import static dev.traced.internal.correlation.LogCorrelation.SERVICE;
import static dev.traced.internal.correlation.LogCorrelation.SPAN_ID;
import static dev.traced.internal.correlation.LogCorrelation.TRACE_ID;
import static dev.traced.internal.correlation.LogCorrelation.VERSION;

/**
 * The fallback for a logging backend with no per-line hook (an SLF4J binding other than Logback or
 * Log4j 2, JBoss Logging over a backend we do not hook): the active span's ids are written into the
 * logging MDC each time the active span of a thread changes, and removed when no span is active.
 *
 * <p>The active-span stack calls {@link #update} each time its top changes on a thread. Only what
 * changed is written: usually just {@code dd.span_id}. This costs a few MDC writes per span, which is
 * why the per-line hooks are preferred wherever the backend has one.
 */
public final class EagerMdc {

    private static final RateLimitedLog LOG = RateLimitedLog.of(EagerMdc.class);

    private final MdcAdapter mdc;
    private final String service;
    private final String env;
    private final String version;
    private volatile boolean broken;

    EagerMdc(MdcAdapter mdc, TraceSettings settings) {
        this.mdc = mdc;
        this.service = settings.service();
        this.env = settings.env();
        this.version = settings.version();
    }

    /**
     * The active span of the calling thread changed from {@code previous} to {@code current} (either
     * may be null). Never throws: a failing MDC turns log correlation off with one log line.
     */
    public void update(CoreSpan previous, CoreSpan current) {
        if (broken) {
            return;
        }
        try {
            if (current == null) {
                mdc.remove(TRACE_ID);
                mdc.remove(SPAN_ID);
                mdc.remove(SERVICE);
                mdc.remove(ENV);
                mdc.remove(VERSION);
                return;
            }
            if (previous == null) {
                mdc.put(SERVICE, service);
                if (env != null) {
                    mdc.put(ENV, env);
                }
                if (version != null) {
                    mdc.put(VERSION, version);
                }
            }
            if (previous == null || previous.trace() != current.trace()) {
                mdc.put(TRACE_ID, current.trace().correlationTraceId());
            }
            mdc.put(SPAN_ID, current.correlationSpanId());
        } catch (RuntimeException | LinkageError e) {
            broken = true;
            LOG.warn("mdc-failed", e, "writing trace ids to the logging MDC failed; log correlation is off");
        }
    }
}
