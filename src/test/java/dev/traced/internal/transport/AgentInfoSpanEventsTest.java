package dev.traced.internal.transport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code /info}'s {@code span_events}: only a JSON {@code true} switches to the native field. */
class AgentInfoSpanEventsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"endpoints\":[\"/v0.4/traces\"],\"span_events\":true}  | true",
        "{\"endpoints\":[\"/v0.4/traces\"],\"span_events\":false} | false",
        "{\"endpoints\":[\"/v0.4/traces\"]}                       | false",
        "{\"span_events\":\"true\"}                               | false",
        "{\"span_events\":1}                                      | false",
        "{\"span_events\":null}                                   | false",
        "{\"span_events\":{\"enabled\":true}}                     | false",
    })
    void onlyAJsonTrueCounts(String body, boolean expected) {
        AgentApi.AgentInfo info = AgentApi.parseInfo(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, info.spanEvents());
    }
}
