package dev.traced.propagation;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what the tracer logs when a propagation step throws internally. The tracer never lets such
 * an exception reach the application, so a test that wants "nothing threw" must look here.
 */
final class FailureLog extends Handler implements AutoCloseable {

    private static final String[] LOGGERS = {"dev.traced.internal.propagation.Propagation",
        "dev.traced.internal.trace.CoreTracer"};

    private final List<String> failures = new ArrayList<>();
    private final List<Level> previousLevels = new ArrayList<>();

    FailureLog() {
        for (String name : LOGGERS) {
            Logger logger = Logger.getLogger(name);
            previousLevels.add(logger.getLevel());
            logger.setLevel(Level.FINE);
            logger.addHandler(this);
        }
    }

    @Override
    public synchronized void publish(LogRecord record) {
        String message = record.getMessage();
        if (record.getThrown() != null || message.contains("could not")) {
            failures.add(message + (record.getThrown() == null ? "" : ": " + record.getThrown()));
        }
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        for (int i = 0; i < LOGGERS.length; i++) {
            Logger logger = Logger.getLogger(LOGGERS[i]);
            logger.removeHandler(this);
            logger.setLevel(previousLevels.get(i));
        }
    }
}
