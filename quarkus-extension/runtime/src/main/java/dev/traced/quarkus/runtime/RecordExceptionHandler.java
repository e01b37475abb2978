package dev.traced.quarkus.runtime;

import dev.traced.internal.jaxrs.ServerRequestEvents;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

/**
 * Quarkus REST's pre-exception-mapper handler: records a request's exception on its server span
 * before an exception mapper turns it into a response, and ends the span when no mapper does (Quarkus
 * then answers 500 without running the response filters).
 */
public final class RecordExceptionHandler implements ServerRestHandler {

    @Override
    public void handle(ResteasyReactiveRequestContext requestContext) {
        Throwable error = requestContext.getThrowable();
        if (error == null) {
            return;
        }
        ServerRequestEvents.exceptionThrown(requestContext::getProperty, error);
        requestContext.registerCompletionCallback(
                unmapped -> ServerRequestEvents.completed(requestContext::getProperty, unmapped));
    }
}
