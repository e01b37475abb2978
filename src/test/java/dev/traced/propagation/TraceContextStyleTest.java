package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.InMemoryTraces;
import dev.traced.Span;
import dev.traced.internal.trace.RemoteContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.TreeMap;

import static dev.traced.propagation.Carrier.extract;
import static dev.traced.propagation.Carrier.extractNonNull;
import static dev.traced.propagation.Carrier.headers;
import static dev.traced.propagation.Carrier.inject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code tracecontext} style: W3C Trace Context Level 2, with the {@code dd} tracestate member. */
class TraceContextStyleTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT = "00f067aa0ba902b7";
    static final String VALID = "00-" + TRACE_ID + "-" + PARENT + "-01";

    private final InMemoryTraces traces = new InMemoryTraces();
    private final CloseableTracer tracer = Carrier.tracer(traces, "dd.trace.propagation.style", "tracecontext");

    @AfterEach
    void close() {
        tracer.close();
    }

    private RemoteContext extractW3c(String traceparent, String tracestate) {
        Map<String, String> headers = headers("traceparent", traceparent);
        if (tracestate != null) {
            headers.put("tracestate", tracestate);
        }
        return extract(tracer, headers);
    }

    // ---- traceparent --------------------------------------------------------------------------

    @ParameterizedTest(name = "valid [{0}]")
    @CsvSource(delimiter = '|', value = {
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01                         | 1",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00                         | 0",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03                         | 1",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02                         | 0",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff                         | 1",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01                         | 1",
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be | 1",
        "fe-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-                        | 0",
        "'  00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\t'                   | 1",
    })
    void acceptsValidTraceparent(String traceparent, int priority) {
        RemoteContext context = extractW3c(traceparent, null);
        assertNotNull(context, traceparent);
        assertEquals(TRACE_ID, context.traceId());
        assertEquals(PARENT, context.spanId());
        assertEquals(priority, context.samplingPriority());
    }

    @ParameterizedTest(name = "invalid [{0}]")
    @ValueSource(strings = {
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",           // version ff
        "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",           // version not hex
        "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",           // version upper case
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",     // 00 with more fields
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-010",          // 00 too long
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",            // too short
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",           // upper-case trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",           // upper-case parent id
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",           // separator misplaced
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",           // all-zero trace id
        "00-4bf92f3577b34da60000000000000000-00f067aa0ba902b7-01",           // zero lower 64 bits
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",           // all-zero parent id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",           // flags not hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0F",           // flags upper case
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",           // wrong separators
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.future",    // future version, no dash
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01,00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "",
        "00",
    })
    void rejectsInvalidTraceparent(String traceparent) {
        assertNull(extractW3c(traceparent, "dd=s:2;o:rum"));
    }

    @Test
    void tracestateWithoutTraceparentIsIgnored() {
        assertNull(extract(tracer, headers("tracestate", "dd=s:2;p:00f067aa0ba902b7")));
    }

    // ---- tracestate grammar -------------------------------------------------------------------

    @ParameterizedTest(name = "valid tracestate [{0}]")
    @CsvSource(delimiter = '|', value = {
        "rojo=00f067aa0ba902b7                                  | rojo=00f067aa0ba902b7",
        "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE                | rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
        "'rojo=1 , ,congo=2,'                                   | rojo=1,congo=2",
        "tenant@vendor=x,0tenant@v=y                            | tenant@vendor=x,0tenant@v=y",
        "1rojo=1,foo@=2,a@b@c=3                                 | 1rojo=1,foo@=2,a@b@c=3",
        "'rojo=1 ,rojo=2,congo=3'                               | rojo=1,congo=3",
        "a_-*/9=value with spaces                               | a_-*/9=value with spaces",
        "'k=!\"#$%&()*+-./:;<>?@[\\]^_`{|}~'                     | 'k=!\"#$%&()*+-./:;<>?@[\\]^_`{|}~'",
    })
    void passesOnValidTracestate(String tracestate, String passedOn) {
        RemoteContext context = extractW3c(VALID, tracestate);
        assertEquals(passedOn, context.traceState());
        Span span = tracer.spanBuilder("server").parent(context).start();
        String injected = inject(tracer, span.context()).get("tracestate");
        span.finish();
        assertTrue(injected.startsWith("dd=") && injected.endsWith("," + passedOn), injected);
    }

    @ParameterizedTest(name = "invalid tracestate [{0}]")
    @ValueSource(strings = {
        "Rojo=1",                       // upper-case key
        "rojo",                         // no '='
        "=1",                           // empty key
        "rojo=",                        // empty value
        "rojo=1=2",                     // '=' in value
        "rojo=a\tb",                    // tab in value
        "rojo=é",                       // non-ASCII value
        "ro jo=1",                      // space in key
        "@vendor=1",                    // a key starts with a letter or a digit
        "tenant@Vendor=1",              // upper-case system
        "t\u0000=1",                    // control character
    })
    void discardsInvalidTracestateButKeepsTraceparent(String tracestate) {
        RemoteContext context = extractW3c(VALID, tracestate + ",dd=s:2;o:rum");
        assertNotNull(context);
        assertNull(context.traceState());
        assertNull(context.origin(), "no Datadog data from a discarded tracestate");
        assertEquals(1, context.samplingPriority(), "priority from the sampled flag");
    }

    @Test
    void keyAndMemberLimits() {
        String key256 = "k" + "a".repeat(255);
        assertEquals(key256 + "=1", extractW3c(VALID, key256 + "=1").traceState());
        assertNull(extractW3c(VALID, key256 + "a=1").traceState(), "257-character key");
        String tenant241 = "t".repeat(241) + "@" + "s".repeat(14);
        assertEquals(tenant241 + "=1", extractW3c(VALID, tenant241 + "=1").traceState());
        String tenant242 = "t".repeat(242) + "@" + "s".repeat(13);
        assertEquals(tenant242 + "=1", extractW3c(VALID, tenant242 + "=1").traceState(),
                "Level 2: no tenant@system limits, only the 256 characters of a key");
        assertNull(extractW3c(VALID, "t" + tenant241 + "=1").traceState(), "a 257-character key with '@'");
        String value256 = "v".repeat(256);
        assertEquals("k=" + value256, extractW3c(VALID, "k=" + value256).traceState());
        assertNull(extractW3c(VALID, "k=v" + value256).traceState(), "257-character value");

        StringBuilder members = new StringBuilder("dd=s:2");
        for (int i = 1; i < 32; i++) {
            members.append(",k").append(i).append("=v");
        }
        RemoteContext full = extractW3c(VALID, members.toString());
        assertEquals(2, full.samplingPriority(), "32 members are fine");
        assertEquals(31, full.traceState().split(",").length);
        RemoteContext tooMany = extractW3c(VALID, members + ",k32=v");
        assertNull(tooMany.traceState(), "33 members: the whole tracestate is discarded");
        assertEquals(1, tooMany.samplingPriority());
    }

    @ParameterizedTest(name = "tracestate [{0}] passes on [{1}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "dd=s:1;p:0123456789abcdef,rojo=1,congo=2   | rojo=1,congo=2",  // kept in the header, not copied
        "dd=s:1,rojo=1                              | rojo=1",
        "rojo=1,dd=s:1                              | rojo=1",
        "rojo=1,dd=s:1,congo=2                      | rojo=1,congo=2",
        "'dd=s:1,rojo=1,'                           | rojo=1",
        "'dd=s:1, rojo=1'                           | rojo=1",
        "dd=s:1                                     | NULL",
    })
    void passesOnTheOtherVendorsWhereverTheDdMemberIs(String tracestate, String passedOn) {
        RemoteContext context = extractW3c(VALID, tracestate);
        assertEquals(passedOn, context.traceState());
        String expectedTail = passedOn == null ? "" : "," + passedOn;
        String passed = inject(tracer, context).get("tracestate");
        assertTrue(passed.startsWith("dd=") && passed.endsWith(expectedTail) && passed.indexOf(',') == (
                passedOn == null ? -1 : passed.length() - expectedTail.length()), passed);
        Span span = tracer.spanBuilder("server").parent(context).startInactive();
        for (int call = 0; call < 3; call++) { // first call, kept, reused
            String injected = inject(tracer, span.context()).get("tracestate");
            assertTrue(injected.endsWith(expectedTail) && injected.indexOf(',') == (
                    passedOn == null ? -1 : injected.length() - expectedTail.length()), injected);
        }
        span.finish();
    }

    @Test
    void severalTracestateLinesJoinedWithCommasAreOneList() {
        // What JAX-RS getHeaderString returns for two tracestate header lines.
        RemoteContext context = extractW3c(VALID, "rojo=1,dd=s:2;o:rum, congo=2");
        assertEquals("rojo=1,congo=2", context.traceState());
        assertEquals(2, context.samplingPriority());
        assertEquals("rum", context.origin());
        assertEquals("rojo=1", extractW3c(VALID, "rojo=1,rojo=2").traceState(),
                "a key repeated across lines: the first member is kept (Level 2)");
    }

    // ---- the dd member ------------------------------------------------------------------------

    @ParameterizedTest(name = "flag {0}, dd [{1}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        // flags | dd member                  | priority | _dd.p.dm
        "01      | s:2;t.dm:-4                | 2        | -4",
        "01      | s:1;t.dm:-1                | 1        | -1",
        "00      | s:-1                       | -1       | NULL",
        "00      | s:0                        | 0        | NULL",
        "01      | s:-1;t.dm:-4               | 1        | -0",     // flag wins, dm reset
        "00      | s:2;t.dm:-4                | 0        | NULL",   // flag wins, dm dropped
        "01      | o:rum                      | 1        | -0",     // no s: -> flag
        "00      | t.dm:-3                    | 0        | NULL",
        "01      | s:x;t.dm:-4                | 1        | -0",     // unreadable s: counts as missing
    })
    void reconcilesPriorityWithTheSampledFlag(String flags, String dd, int priority, String dm) {
        RemoteContext context = extractW3c("00-" + TRACE_ID + "-" + PARENT + "-" + flags, "dd=" + dd);
        assertEquals(priority, context.samplingPriority());
        assertEquals(dm, context.propagationTags().get("_dd.p.dm"));
    }

    @Test
    void readsOriginParentAndTagsFromTheDdMember() {
        RemoteContext context = extractW3c(VALID,
                "dd=s:2;o:synthetics~browser;p:0123456789abcdef;t.dm:-4;t.usr.id:baz64~~;unknown:1;junk,rojo=1");
        assertEquals("synthetics=browser", context.origin());
        assertEquals("0123456789abcdef", context.propagationTags().get("_dd.parent_id"));
        assertEquals("baz64==", context.propagationTags().get("_dd.p.usr.id"));
        assertEquals("rojo=1", context.traceState());
    }

    @ParameterizedTest(name = "t.tid [{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "4bf92f3577b34da6 | NULL",
        "4bf92f3577b34da7 | inconsistent_tid 4bf92f3577b34da7",
        "4BF92F3577B34DA6 | malformed_tid 4BF92F3577B34DA6",
        "4bf92f35         | malformed_tid 4bf92f35",
    })
    void checksTidAgainstTheTraceparent(String tid, String error) {
        RemoteContext context = extractW3c(VALID, "dd=s:1;t.tid:" + tid);
        assertEquals(TRACE_ID, context.traceId(), "the traceparent id is authoritative");
        assertEquals(error, context.propagationTags().get("_dd.propagation_error"));
        assertNull(context.propagationTags().get("_dd.p.tid"));
    }

    @Test
    void injectsTraceparentAndDdMemberForTheSpan() {
        RemoteContext parent = extractW3c(VALID, "dd=s:2;o:rum;t.dm:-4;t.usr.id:a~b,rojo=00f067aa0ba902b7");
        Span server = tracer.spanBuilder("server").parent(parent).start();
        Span client = tracer.trace("client");
        Map<String, String> headers = inject(tracer, client.context());
        client.finish();
        server.finish();
        String spanId = client.context().spanId();
        assertEquals("00-" + TRACE_ID + "-" + spanId + "-01", headers.get("traceparent"));
        assertEquals("dd=s:2;o:rum;p:" + spanId + ";t.dm:-4;t.usr.id:a~b;t.tid:4bf92f3577b34da6,rojo=00f067aa0ba902b7",
                headers.get("tracestate"));
    }

    @ParameterizedTest(name = "priority {0} -> flags {1}")
    @CsvSource({"2, 01", "1, 01", "0, 00", "-1, 00"})
    void sampledFlagIffPriorityAboveZero(int priority, String flags) {
        try (CloseableTracer both = Carrier.tracer(traces)) {
            RemoteContext parent = extractNonNull(both, headers("x-datadog-trace-id", "1",
                    "x-datadog-parent-id", "2", "x-datadog-sampling-priority", Integer.toString(priority)));
            Map<String, String> headers = inject(both, parent);
            assertTrue(headers.get("traceparent").endsWith("-" + flags), headers.toString());
            assertTrue(headers.get("tracestate").startsWith("dd=s:" + priority + ";"), headers.toString());
        }
    }

    @Test
    void injectEncodesValuesSoTheTracestateStaysValid() {
        RemoteContext parent = extractNonNull(tracer, headers("traceparent", VALID,
                "tracestate", "dd=o:a,b"));
        assertNull(parent.traceState(), "'a,b' splits into an invalid member 'b'");
        RemoteContext hostile = new RemoteContext(1, 2, 3, 1, "x=y;z,~\r\né ",
                Map.of("_dd.p.k;=:", "v,;~=\u2028"), "rojo=1,bad key=2", Map.of(), null);
        Map<String, String> headers = inject(tracer, hostile);
        // A space inside the member is valid W3C; control and non-ASCII characters are not.
        assertEquals("dd=s:1;o:x~y_z_____ ;p:0000000000000003;t.k___:v___~_;t.tid:0000000000000001",
                headers.get("tracestate"));
    }

    @Test
    void tagsThatDoNotFitTheDdMemberAreSkipped() {
        Map<String, String> tags = new TreeMap<>();
        tags.put("_dd.p.a", "x".repeat(200));
        tags.put("_dd.p.b", "y".repeat(100));
        tags.put("_dd.p.c", "z");
        RemoteContext parent = new RemoteContext(0, 2, 3, 1, null, tags, null, Map.of(), null);
        String dd = inject(tracer, parent).get("tracestate");
        assertEquals("dd=s:1;p:0000000000000003;t.a:" + "x".repeat(200) + ";t.c:z", dd);
        assertTrue(dd.length() - 3 <= 256);
        assertFalse(dd.contains("t.b:"), "t.b no longer fits after t.a");
    }
}
