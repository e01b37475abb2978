package dev.traced.internal.jaxrs;

import dev.traced.internal.log.RateLimitedLog;

import java.util.function.Function;

/**
 * What a runtime reports about a request that the JAX-RS filters cannot see, for runtimes that
 * report it (Quarkus REST: its pre-exception-mapper handler and completion callbacks). Both take the
 * request's properties ({@code requestContext::getProperty}) and never throw.
 */
public final class ServerRequestEvents {

    private static final RateLimitedLog LOG = RateLimitedLog.of(ServerRequestEvents.class);
    /** The status a runtime answers an unmapped exception with. */
    static final int UNMAPPED_STATUS = 500;

    private ServerRequestEvents() {
    }

    /**
     * An exception reached exception mapping (from the resource method, a filter, a reader, a
     * parameter converter): recorded on the server span before any mapper turns it into a response.
     */
    public static void exceptionThrown(Function<String, Object> properties, Throwable error) {
        try {
            if (error != null && properties.apply(ServerTracingFilter.PROPERTY) instanceof ServerRequest state) {
                state.span.setError(error);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("server-exception", e, "could not record an exception on the server span");
        }
    }

    /**
     * The request completed. {@code unmapped} is the exception no mapper handled, or null: the runtime
     * then answers 500 without running the response filters, so the span ends here.
     */
    public static void completed(Function<String, Object> properties, Throwable unmapped) {
        try {
            if (unmapped != null && properties.apply(ServerTracingFilter.PROPERTY) instanceof ServerRequest state) {
                state.span.setError(unmapped);
                state.span.setTag("http.status_code", HttpStatuses.text(UNMAPPED_STATUS));
                state.responseStarted();
                state.finish();
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("server-complete", e, "could not end the server span of a failed request");
        }
    }
}
