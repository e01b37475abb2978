package dev.traced.compat.w3c;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /test}, the W3C harness' contract: the body is a JSON array of
 * {@code {"url": ..., "arguments": [...]}}; for each element the service POSTs {@code arguments} as
 * JSON to {@code url} with a Jakarta REST client, within the request's server span, and then
 * answers. Nothing here touches a header: traced's server filter reads {@code traceparent} and
 * {@code tracestate}, its client filter writes them.
 */
@ApplicationScoped
@Path("/test")
public class HarnessResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Client client = ClientBuilder.newBuilder()
            .connectTimeout(5, TimeUnit.SECONDS).readTimeout(5, TimeUnit.SECONDS).build();

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response test(String body) throws IOException {
        JsonNode actions = body == null || body.isBlank() ? null : JSON.readTree(body);
        if (actions != null && actions.isArray()) {
            for (JsonNode action : actions) {
                String url = action.path("url").asText(null);
                if (url == null) {
                    continue;
                }
                JsonNode arguments = action.path("arguments");
                String payload = arguments.isMissingNode() || arguments.isNull() ? "[]" : arguments.toString();
                try (Response response = client.target(url).request(MediaType.APPLICATION_JSON)
                        .post(Entity.entity(payload, MediaType.APPLICATION_JSON))) {
                    response.readEntity(String.class);
                }
            }
        }
        return Response.ok("{}", MediaType.APPLICATION_JSON).build();
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
