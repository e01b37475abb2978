package dev.traced.internal.correlation;

import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.TraceSettings;

/**
 * Puts the active span's ids in the logging MDC ({@code dd.logs.injection}, default true), so that
 * log lines link to traces: {@code dd.trace_id} (32 hex characters for a 128-bit id, as
 * dd-trace-java logs it, else decimal), {@code dd.span_id} (decimal), and {@code dd.service},
 * {@code dd.env}, {@code dd.version} from the tracer's settings.
 *
 * <p>The active-span stack calls {@link #update} each time its top changes on a thread, so the MDC
 * always shows the span that is active now: the parent's ids come back when a child ends, and every
 * key is removed when no span is active. Only what changed is written: usually just
 * {@code dd.span_id}. The ids' text is cached on the span and the trace.
 *
 * <p>The MDC is SLF4J's when SLF4J has a provider (Logback, Log4j 2, JBoss LogManager in WildFly and
 * Quarkus), else JBoss Logging's; the library depends on neither: the adapter of the API found at
 * start is the only one ever loaded.
 */
public final class LogCorrelation {

    public static final String TRACE_ID = "dd.trace_id";
    public static final String SPAN_ID = "dd.span_id";
    public static final String SERVICE = "dd.service";
    public static final String ENV = "dd.env";
    public static final String VERSION = "dd.version";

    private static final RateLimitedLog LOG = RateLimitedLog.of(LogCorrelation.class);

    private final MdcAdapter mdc;
    private final String service;
    private final String env;
    private final String version;
    private volatile boolean broken;

    LogCorrelation(MdcAdapter mdc, TraceSettings settings) {
        this.mdc = mdc;
        this.service = settings.service();
        this.env = settings.env();
        this.version = settings.version();
    }

    /** Log correlation for this configuration, or null when it is off or no MDC is on the class path. */
    public static LogCorrelation from(Config config, TraceSettings settings) {
        if (!config.getBoolean("dd.logs.injection", true)) {
            return null;
        }
        MdcAdapter mdc = detect(LogCorrelation.class.getClassLoader());
        return mdc == null ? null : new LogCorrelation(mdc, settings);
    }

    static MdcAdapter detect(ClassLoader loader) {
        try {
            if (present("org.slf4j.MDC", loader) && Slf4jMdc.usable()) {
                return new Slf4jMdc();
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("mdc-slf4j", "SLF4J's MDC is not usable: %s", e);
        }
        try {
            if (present("org.jboss.logging.MDC", loader)) {
                return new JBossLoggingMdc();
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("mdc-jboss", "JBoss Logging's MDC is not usable: %s", e);
        }
        return null;
    }

    private static boolean present(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
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
