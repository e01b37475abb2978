package dev.traced.testagent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test Agent itself: it must reject the {@code span_links} and {@code span_events} the real
 * Agent would reject, or the wire tests that rely on it could not fail.
 */
class TestAgentLinksEventsCheckTest {

    private TestAgent agent;

    @BeforeEach
    void start() {
        agent = TestAgent.start();
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void wellTypedLinksAndEventsDecodeWithoutErrors() throws Exception {
        send(packer -> {
            packer.packString("span_links").packArrayHeader(1).packMapHeader(5);
            packer.packString("trace_id").packLong(1).packString("trace_id_high").packLong(2);
            packer.packString("span_id").packLong(3).packString("flags").packLong(0x80000001L);
            packer.packString("attributes").packMapHeader(1).packString("k").packString("v");
            packer.packString("span_events").packArrayHeader(1).packMapHeader(3);
            packer.packString("time_unix_nano").packLong(1_700_000_000_000_000_000L).packString("name").packString("e");
            packer.packString("attributes").packMapHeader(2);
            packer.packString("i").packMapHeader(2).packString("type").packInt(2).packString("int_value").packLong(-5);
            packer.packString("a").packMapHeader(2).packString("type").packInt(4).packString("array_value")
                    .packMapHeader(1).packString("values").packArrayHeader(1)
                    .packMapHeader(2).packString("type").packInt(3).packString("double_value").packDouble(0.5);
        }, 14);
        assertEquals(List.of(), agent.errors());
        DecodedSpan span = agent.spans().get(0);
        assertEquals(new DecodedSpan.Link(1, 2, 3, java.util.Map.of("k", "v"), null, 0x80000001L),
                span.spanLinks().get(0));
        assertEquals(-5L, span.spanEvents().get(0).attributes().get("i"));
        assertEquals(List.of(0.5), span.spanEvents().get(0).attributes().get("a"));
    }

    @Test
    void flagsWithoutBit31AreRejected() throws Exception {
        send(packer -> {
            packer.packString("span_links").packArrayHeader(1).packMapHeader(3);
            packer.packString("trace_id").packLong(1).packString("span_id").packLong(3);
            packer.packString("flags").packLong(1);
        }, 13);
        assertTrue(agent.errors().stream().anyMatch(e -> e.contains("bit 31")), agent.errors().toString());
    }

    @Test
    void aLinkAttributeThatIsNotAStringIsRejected() throws Exception {
        send(packer -> {
            packer.packString("span_links").packArrayHeader(1).packMapHeader(3);
            packer.packString("trace_id").packLong(1).packString("span_id").packLong(3);
            packer.packString("attributes").packMapHeader(1).packString("n").packLong(1);
        }, 13);
        assertTrue(agent.errors().stream().anyMatch(e -> e.contains("attributes n")), agent.errors().toString());
    }

    @Test
    void aFloat32DoubleValueAndAMismatchedTypeAreRejected() throws Exception {
        send(packer -> {
            packer.packString("span_events").packArrayHeader(1).packMapHeader(3);
            packer.packString("time_unix_nano").packLong(1).packString("name").packString("e");
            packer.packString("attributes").packMapHeader(2);
            packer.packString("f").packMapHeader(2).packString("type").packInt(3).packString("double_value")
                    .packFloat(0.5f);
            packer.packString("m").packMapHeader(2).packString("type").packInt(0).packString("int_value").packLong(1);
        }, 13);
        assertTrue(agent.errors().stream().anyMatch(e -> e.contains("float64 only")), agent.errors().toString());
        assertTrue(agent.errors().stream().anyMatch(e -> e.contains("of type 0 carries int_value")),
                agent.errors().toString());
    }

    @Test
    void aRawAttributeValueInsteadOfAnAnyValueIsRejected() throws Exception {
        send(packer -> {
            packer.packString("span_events").packArrayHeader(1).packMapHeader(3);
            packer.packString("time_unix_nano").packLong(1).packString("name").packString("e");
            packer.packString("attributes").packMapHeader(1).packString("raw").packString("v");
        }, 13);
        assertTrue(agent.errors().stream().anyMatch(e -> e.contains("not an AttributeAnyValue")),
                agent.errors().toString());
    }

    private interface Extra {
        void write(MessageBufferPacker packer) throws IOException;
    }

    /** One trace of one span: the twelve keys Java writes, then {@code extra}. */
    private void send(Extra extra, int keys) throws Exception {
        MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
        packer.packArrayHeader(1).packArrayHeader(1).packMapHeader(keys);
        packer.packString("service").packString("s").packString("name").packString("n");
        packer.packString("resource").packString("r").packString("trace_id").packLong(1);
        packer.packString("span_id").packLong(2).packString("parent_id").packLong(0);
        packer.packString("start").packLong(1).packString("duration").packLong(1);
        packer.packString("type").packNil().packString("error").packInt(0);
        packer.packString("metrics").packMapHeader(0).packString("meta").packMapHeader(0);
        extra.write(packer);
        packer.close();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(agent.url() + "/v0.4/traces"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(packer.toByteArray()))
                .header("Content-Type", "application/msgpack").header("X-Datadog-Trace-Count", "1");
        for (String name : List.of("Datadog-Meta-Lang", "Datadog-Meta-Lang-Version", "Datadog-Meta-Lang-Interpreter",
                "Datadog-Meta-Lang-Interpreter-Vendor", "Datadog-Meta-Tracer-Version",
                "Datadog-Client-Computed-Top-Level", "Datadog-Client-Dropped-P0-Traces",
                "Datadog-Client-Dropped-P0-Spans")) {
            request.header(name, "0");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
    }
}
