package dev.traced.internal.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A logger that says each kind of problem at most once a minute, so that a tracing failure on a hot
 * path never floods the application's log. Uses java.util.logging, which every container routes.
 */
public final class RateLimitedLog {

    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger logger;
    private final ConcurrentHashMap<String, Long> lastLogged = new ConcurrentHashMap<>();

    private RateLimitedLog(Logger logger) {
        this.logger = logger;
    }

    public static RateLimitedLog of(Class<?> owner) {
        return new RateLimitedLog(Logger.getLogger(owner.getName()));
    }

    public Logger logger() {
        return logger;
    }

    /** Logs at WARNING unless the same key was logged in the last minute. */
    public void warn(String key, String message, Object... args) {
        log(Level.WARNING, key, null, message, args);
    }

    /** Logs at WARNING with a cause unless the same key was logged in the last minute. */
    public void warn(String key, Throwable cause, String message, Object... args) {
        log(Level.WARNING, key, cause, message, args);
    }

    /** Logs at FINE (debug) unless the same key was logged in the last minute. */
    public void debug(String key, String message, Object... args) {
        log(Level.FINE, key, null, message, args);
    }

    private void log(Level level, String key, Throwable cause, String message, Object[] args) {
        try {
            if (!logger.isLoggable(level)) {
                return;
            }
            long now = System.nanoTime();
            Long previous = lastLogged.get(key);
            if (previous != null && now - previous < INTERVAL_NANOS) {
                return;
            }
            if (previous == null ? lastLogged.putIfAbsent(key, now) != null
                    : !lastLogged.replace(key, previous, now)) {
                return;
            }
            String text = args.length == 0 ? message : String.format(message, args);
            if (cause == null) {
                logger.log(level, "[traced] " + text);
            } else {
                logger.log(level, "[traced] " + text, cause);
            }
        } catch (RuntimeException ignored) {
            // Logging must not fail the caller.
        }
    }
}
