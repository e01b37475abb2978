package dev.traced.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;

/**
 * A Logback logger that formats every line with the correlation keys ({@code %X{dd.trace_id}
 * %X{dd.span_id}}) and writes it to a null stream: a logged line's full cost, no I/O. Shared by the
 * JMH and CPU-time runs of a log line, so both measure the same pattern.
 */
final class NullStreamLog implements AutoCloseable {

    private final Logger logger;
    private final OutputStreamAppender<ILoggingEvent> appender;

    NullStreamLog(String name) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d %-5level [%thread] %logger{36} dd.trace_id=%X{dd.trace_id} "
                + "dd.span_id=%X{dd.span_id} - %msg%n");
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(OutputStream.nullOutputStream());
        appender.start();
        logger = context.getLogger(name);
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
    }

    Logger logger() {
        return logger;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
