package dev.traced.internal.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.List;
import java.util.function.Function;

/**
 * How the server filter reads request headers (trace context, user agent, header tags, client IP):
 * a header sent on several lines is its values joined with {@code ","}, as
 * {@code getHeaderString} returns it. RESTEasy's {@code getHeaderString} (WildFly, RESTEasy on
 * Undertow or Netty) builds that String in a new {@code StringBuilder} even for a header sent once,
 * about 150 bytes for a {@code traceparent}; there the header map, a case-insensitive tree, is read
 * instead, and a header sent once is the String already received. Other runtimes (Jersey, Quarkus
 * REST) return the received String from {@code getHeaderString}, and some of them build their header
 * map on first use: they keep {@code getHeaderString}.
 */
final class RequestHeaders {

    private static final String RESTEASY_CLASSIC = "org.jboss.resteasy.core.";

    private RequestHeaders() {
    }

    /** The request's header reader: names are looked up as given (both ways are case-insensitive). */
    static Function<String, String> of(ContainerRequestContext request) {
        if (request.getClass().getName().startsWith(RESTEASY_CLASSIC)) {
            MultivaluedMap<String, String> headers = request.getHeaders();
            if (headers != null) {
                return name -> joined(headers.get(name));
            }
        }
        return request::getHeaderString;
    }

    /** The values of one header as {@code getHeaderString} returns them; null when absent. */
    static String joined(List<String> values) {
        if (values == null) {
            return null;
        }
        int count = values.size();
        if (count == 1) {
            return values.get(0);
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                joined.append(',');
            }
            joined.append(values.get(i));
        }
        return joined.toString();
    }
}
