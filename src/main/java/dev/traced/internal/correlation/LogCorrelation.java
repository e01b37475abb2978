package dev.traced.internal.correlation;

import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;
import dev.traced.internal.trace.TraceSettings;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Log correlation ({@code dd.logs.injection}, default true): each log line logged while a span is
 * active carries {@code dd.trace_id} (32 hex characters for a 128-bit id, as dd-trace-java logs it,
 * else decimal), {@code dd.span_id} (decimal), and {@code dd.service}, {@code dd.env},
 * {@code dd.version} from the tracer's settings.
 *
 * <p>Wherever the logging backend has a per-line hook, the ids are added when a line is logged, from
 * the span active on the logging thread at that moment ({@link #activeIds}), and nothing is done per
 * span: Logback (the MDC view of its events), Log4j 2 (a {@code ContextDataProvider}) and JBoss
 * LogManager (WildFly, Quarkus: a handler in front of the root logger's). The application's MDC is
 * never written, so nothing is left on a thread after its trace ends. Only without such a backend
 * does a tracer fall back to {@link EagerMdc}, which writes the MDC when the active span changes.
 *
 * <p>Every backend is optional: the classes that name one are loaded only after a check that it is
 * present, or by the backend's own {@code ServiceLoader}.
 */
public final class LogCorrelation {

    public static final String TRACE_ID = "dd.trace_id";
    public static final String SPAN_ID = "dd.span_id";
    public static final String SERVICE = "dd.service";
    public static final String ENV = "dd.env";
    public static final String VERSION = "dd.version";

    private static final RateLimitedLog LOG = RateLimitedLog.of(LogCorrelation.class);
    @SuppressWarnings("unchecked")
    private static final WeakReference<CoreTracer>[] NONE = new WeakReference[0];

    /**
     * The open tracers with log correlation on; read on every log line, so an array. Held weakly: a
     * tracer dropped without being closed does not stay here.
     */
    private static volatile WeakReference<CoreTracer>[] tracers = NONE;

    private LogCorrelation() {
    }

    /**
     * Sets up log correlation for a tracer being built: hooks the logging backends that have a
     * per-line hook and returns null, or returns the eager MDC fallback when none has one. Null too
     * when {@code dd.logs.injection} is false. Never throws.
     */
    public static EagerMdc setUp(Config config, TraceSettings settings) {
        if (!enabled(config)) {
            return null;
        }
        ClassLoader loader = LogCorrelation.class.getClassLoader();
        if (hookBackends(loader)) {
            return null;
        }
        MdcAdapter mdc = detectMdc(loader);
        return mdc == null ? null : new EagerMdc(mdc, settings);
    }

    static boolean enabled(Config config) {
        return config.getBoolean("dd.logs.injection", true);
    }

    /** Hooks every backend present that has a per-line hook; true when at least one is served. */
    static boolean hookBackends(ClassLoader loader) {
        boolean hooked = false;
        try {
            if (present("ch.qos.logback.classic.LoggerContext", loader) && present("org.slf4j.LoggerFactory", loader)) {
                hooked |= LogbackCorrelation.hookSlf4jContext();
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("hook-logback", "Logback cannot be hooked for log correlation: %s", e);
        }
        try {
            if (present("org.jboss.logmanager.ExtLogRecord", loader)) {
                hooked |= JBossLogManagerCorrelation.hookRootLogger();
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("hook-jboss", "JBoss LogManager cannot be hooked for log correlation: %s", e);
        }
        try {
            if (present("org.apache.logging.log4j.core.util.ContextDataProvider", loader)) {
                hooked |= Log4jCorrelation.providerLoaded();
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("hook-log4j", "Log4j 2 cannot be hooked for log correlation: %s", e);
        }
        return hooked;
    }

    /** The MDC for the eager fallback: SLF4J's when it has a real one, else JBoss Logging's; null when none. */
    static MdcAdapter detectMdc(ClassLoader loader) {
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

    static boolean present(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A tracer is open: its active spans are looked up for log lines when {@code dd.logs.injection} is on. */
    public static synchronized void opened(CoreTracer tracer, Config config) {
        if (!enabled(config)) {
            return;
        }
        List<WeakReference<CoreTracer>> next = live(null);
        next.add(new WeakReference<>(tracer));
        tracers = next.toArray(NONE);
    }

    private static List<WeakReference<CoreTracer>> live(CoreTracer except) {
        List<WeakReference<CoreTracer>> list = new ArrayList<>();
        for (WeakReference<CoreTracer> ref : tracers) {
            CoreTracer tracer = ref.get();
            if (tracer != null && tracer != except) {
                list.add(ref);
            }
        }
        return list;
    }

    /** A tracer is closed: no longer looked up; the JBoss LogManager hook goes when no tracer is left. */
    public static synchronized void closed(CoreTracer tracer) {
        int before = tracers.length;
        List<WeakReference<CoreTracer>> left = live(tracer);
        if (left.size() == before) {
            return;
        }
        tracers = left.toArray(NONE);
        if (left.isEmpty()) {
            try {
                if (present("org.jboss.logmanager.ExtLogRecord", LogCorrelation.class.getClassLoader())) {
                    JBossLogManagerCorrelation.unhookRootLogger();
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("unhook-jboss", "could not remove the JBoss LogManager hook: %s", e);
            }
        }
    }

    /**
     * The correlation values for a line logged now on this thread: those of the active span (of the
     * latest started, if several tracers have one), null when no span is active. Never throws.
     */
    static LogIds activeIds() {
        WeakReference<CoreTracer>[] open = tracers;
        if (open.length == 0) {
            return null;
        }
        try {
            CoreSpan active = null;
            for (WeakReference<CoreTracer> ref : open) {
                CoreTracer tracer = ref.get();
                CoreSpan span = tracer == null ? null : tracer.activeSpan();
                if (span != null && (active == null || span.startEpochNanos() > active.startEpochNanos())) {
                    active = span;
                }
            }
            return active == null ? null : LogIds.of(active);
        } catch (RuntimeException e) {
            LOG.debug("active-ids", "no trace ids for a log line: %s", e);
            return null;
        }
    }
}
