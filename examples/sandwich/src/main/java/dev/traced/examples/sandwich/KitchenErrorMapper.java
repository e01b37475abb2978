package dev.traced.examples.sandwich;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The application's own error handling: a failed order is a 500 with a short message. The server
 * span still records the exception itself (type, message, stack), captured before this mapper ran.
 */
@Provider
public class KitchenErrorMapper implements ExceptionMapper<IllegalStateException> {

    @Override
    public Response toResponse(IllegalStateException exception) {
        return Response.serverError().type(MediaType.TEXT_PLAIN_TYPE).entity(exception.getMessage()).build();
    }
}
