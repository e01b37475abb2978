package dev.traced.propagation;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.traced.propagation.Carrier.headers;
import static dev.traced.propagation.Carrier.inject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * W3C Trace Context Level 2 (https://www.w3.org/TR/trace-context-2/), rule by rule, as the W3C's own
 * test service sees a vendor: headers go into a service whose only propagation is traced
 * ({@code dd.trace.propagation.style=tracecontext}), the service makes one outgoing call, and the
 * {@code traceparent}/{@code tracestate} of that call are checked. The rows are the cases of the W3C
 * suite ({@code w3c/trace-context}, {@code test/test.py}), with Level 2's answers where Level 2 changed
 * them (marked "Level 2"); each table names the section of the specification it checks and quotes it.
 *
 * <p>Several header lines of one name are passed joined with {@code ","}, which is how JAX-RS's
 * {@code getHeaderString} hands them to the server filter (the header-name casing cases of the suite
 * are the HTTP stack's part: see {@code JaxRsTracingTest}).
 */
class TraceContextLevel2Test {

    static final String TRACE_ID = "12345678901234567890123456789012";
    static final String PARENT = "00-" + TRACE_ID + "-1234567890123456-00";

    private final CloseableTracer tracer = Carrier.tracer("dd.trace.propagation.style", "tracecontext");

    @AfterEach
    void close() {
        tracer.close();
    }

    /** The outgoing headers of a call made by a service that received {@code incoming}. */
    private Map<String, String> callThrough(Map<String, String> incoming) {
        SpanContext parent = tracer.extract(incoming::get);
        Span server = parent == null ? tracer.spanBuilder("server").noParent().start()
                : tracer.spanBuilder("server").parent(parent).start();
        Span client = tracer.trace("client");
        try {
            return inject(tracer, client.context());
        } finally {
            client.finish();
            server.finish();
        }
    }

    private static String traceId(Map<String, String> outgoing) {
        return outgoing.get("traceparent").substring(3, 35);
    }

    private static String flags(Map<String, String> outgoing) {
        return outgoing.get("traceparent").substring(53);
    }

    /** The other vendors' members of an outgoing tracestate, in order (traced's own {@code dd} member left out). */
    private static Map<String, String> otherMembers(Map<String, String> outgoing) {
        Map<String, String> members = new LinkedHashMap<>();
        String tracestate = outgoing.get("tracestate");
        for (String member : tracestate.split(",")) {
            int equals = member.indexOf('=');
            String key = member.substring(0, equals);
            if (!key.equals("dd")) {
                members.put(key, member.substring(equals + 1));
            }
        }
        return members;
    }

    // ---- 3.2 traceparent ----------------------------------------------------------------------

    static Stream<Arguments> traceparents() {
        String id = TRACE_ID;
        return Stream.of(
            // §3.2.2 "value = version "-" version-format", §3.2.2.1 version, §3.2.2.2 version-format
            row("test_traceparent_included_tracestate_missing", "00-" + id + "-1234567890123456-01", true),
            row("test_traceparent_duplicated (two lines)",
                "00-12345678901234567890123456789011-1234567890123456-01,00-" + id + "-1234567890123456-01", false),
            row("test_traceparent_version_0x00 (trailing '.')", "00-" + id + "-1234567890123456-01.", false),
            row("test_traceparent_version_0x00 (more fields)",
                "00-" + id + "-1234567890123456-01-what-the-future-will-be-like", false),
            // §3.2.4 "If a higher version is detected, the implementation SHOULD try to parse it"
            row("test_traceparent_version_0xcc", "cc-" + id + "-1234567890123456-01", true),
            row("test_traceparent_version_0xcc (more fields)",
                "cc-" + id + "-1234567890123456-01-what-the-future-will-be-like", true),
            row("test_traceparent_version_0xcc ('.' after the flags)",
                "cc-" + id + "-1234567890123456-01.what-the-future-will-be-like", false),
            // §3.2.2.1 "Version ff is invalid."
            row("test_traceparent_version_0xff", "ff-" + id + "-1234567890123456-01", false),
            row("test_traceparent_version_illegal_characters (.0)", ".0-" + id + "-1234567890123456-01", false),
            row("test_traceparent_version_illegal_characters (0.)", "0.-" + id + "-1234567890123456-01", false),
            row("test_traceparent_version_too_long (000)", "000-" + id + "-1234567890123456-01", false),
            row("test_traceparent_version_too_long (0000)", "0000-" + id + "-1234567890123456-01", false),
            row("test_traceparent_version_too_short", "0-" + id + "-1234567890123456-01", false),
            // §3.2.2.3 "All bytes as zero (00000000000000000000000000000000) is considered an invalid value."
            row("test_traceparent_trace_id_all_zero", "00-" + "0".repeat(32) + "-1234567890123456-01", false),
            row("test_traceparent_trace_id_illegal_characters (first)",
                "00-.2345678901234567890123456789012-1234567890123456-01", false),
            row("test_traceparent_trace_id_illegal_characters (last)",
                "00-1234567890123456789012345678901.-1234567890123456-01", false),
            row("test_traceparent_trace_id_too_long", "00-" + id + "3-1234567890123456-01", false),
            row("test_traceparent_trace_id_too_short", "00-" + id.substring(1) + "-1234567890123456-01", false),
            // §3.2.2.4 "Vendors MUST ignore the traceparent when the parent-id is invalid"
            row("test_traceparent_parent_id_all_zero", "00-" + id + "-0000000000000000-01", false),
            row("test_traceparent_parent_id_illegal_characters (first)", "00-" + id + "-.234567890123456-01", false),
            row("test_traceparent_parent_id_illegal_characters (last)", "00-" + id + "-123456789012345.-01", false),
            row("test_traceparent_parent_id_too_long", "00-" + id + "-12345678901234567-01", false),
            row("test_traceparent_parent_id_too_short", "00-" + id + "-123456789012345-01", false),
            // §3.2.2.5 "trace-flags = 2HEXDIGLC"
            row("test_traceparent_trace_flags_illegal_characters (.0)", "00-" + id + "-1234567890123456-.0", false),
            row("test_traceparent_trace_flags_illegal_characters (0.)", "00-" + id + "-1234567890123456-0.", false),
            row("test_traceparent_trace_flags_too_long", "00-" + id + "-1234567890123456-001", false),
            row("test_traceparent_trace_flags_too_short", "00-" + id + "-1234567890123456-1", false),
            // RFC 9110 OWS around a field value
            row("test_traceparent_ows_handling (leading space)", " 00-" + id + "-1234567890123456-01", true),
            row("test_traceparent_ows_handling (leading tab)", "\t00-" + id + "-1234567890123456-01", true),
            row("test_traceparent_ows_handling (trailing space)", "00-" + id + "-1234567890123456-01 ", true),
            row("test_traceparent_ows_handling (trailing tab)", "00-" + id + "-1234567890123456-01\t", true),
            row("test_traceparent_ows_handling (both)", "\t 00-" + id + "-1234567890123456-01 \t", true));
    }

    private static Arguments row(String w3cCase, String traceparent, boolean continued) {
        return Arguments.of(w3cCase, traceparent, continued);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traceparents")
    void traceparent(String w3cCase, String traceparent, boolean continued) {
        Map<String, String> outgoing = callThrough(headers("traceparent", traceparent));
        if (continued) {
            assertEquals(TRACE_ID, traceId(outgoing), w3cCase);
            assertNotEquals("1234567890123456", outgoing.get("traceparent").substring(36, 52),
                    "§3.4 Update parent-id: the call's own span is the parent");
        } else {
            assertNotEquals(TRACE_ID, traceId(outgoing), w3cCase + ": a new trace");
            assertNotEquals("00000000000000000000000000000000", traceId(outgoing));
        }
    }

    // ---- 3.2.2.5.2 Random Trace ID Flag -------------------------------------------------------

    /*
     * §3.2.2.5.2 Random Trace ID Flag: "If that flag is set, at least the right-most 7 bytes of the
     * trace-id MUST be selected randomly (or pseudo-randomly) with uniform distribution over the
     * interval [0..2^56-1]." ... "If the flag is unset in the incoming traceparent header, it MUST also
     * be unset in any outgoing traceparent headers which use the same trace-id." ... "When at least the
     * right-most 7 bytes of the trace-id are randomly (or pseudo-randomly) generated, the
     * random-trace-id flag SHOULD be set to 1."
     * §3.2.2.5.3 Other Flags: "Vendors MUST set those to zero."
     */
    static Stream<Arguments> randomFlag() {
        return Stream.of(
            Arguments.of("received 02 (random, not sampled): kept", "02", "02"),
            Arguments.of("received 03 (random, sampled): kept", "03", "03"),
            Arguments.of("received 00: stays unset for the same trace id", "00", "00"),
            Arguments.of("received 01: stays unset for the same trace id", "01", "01"),
            Arguments.of("received ff: reserved bits cleared, random and sampled kept", "ff", "03"),
            Arguments.of("received 06: reserved bit 2 cleared", "06", "02"),
            Arguments.of("received fd: reserved bits cleared, random unset stays unset", "fd", "01"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomFlag")
    void randomTraceIdFlagIsKeptNeverInvented(String rule, String received, String sent) {
        Map<String, String> outgoing = callThrough(headers("traceparent", "00-" + TRACE_ID + "-1234567890123456-"
                + received));
        assertEquals(TRACE_ID, traceId(outgoing));
        assertEquals(sent, flags(outgoing), rule);
    }

    @ParameterizedTest(name = "new trace, priority {0} -> flags {1}")
    @org.junit.jupiter.params.provider.CsvSource({"keep, 03", "drop, 02"})
    void tracesStartedHereSetTheRandomFlag(String decision, String flags) {
        // traced's trace ids: upper 64 bits = start time in seconds, then zeros; lower 64 bits random,
        // so the right-most 7 bytes are random and the flag is set (with the sampled bit as decided).
        Span root = tracer.trace("root");
        if (decision.equals("drop")) {
            root.dropTrace();
        } else {
            root.keepTrace();
        }
        Map<String, String> outgoing = inject(tracer, root.context());
        root.finish();
        assertEquals(flags, flags(outgoing));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "Datadog headers only: whether the caller's id is random is not known | NONE | 01",
        "Datadog and W3C of one trace, W3C says random                        | 03   | 03",
        "Datadog and W3C of one trace, W3C says not random                    | 01   | 01",
    })
    void continuedDatadogTracesSetItOnlyWhenTheCallerDid(String rule, String w3cFlags, String sent) {
        try (CloseableTracer both = Carrier.tracer("dd.trace.propagation.style", "datadog,tracecontext")) {
            Map<String, String> incoming = headers("x-datadog-trace-id", Long.toUnsignedString(0x1234567890123456L),
                    "x-datadog-parent-id", "1", "x-datadog-sampling-priority", "1",
                    "x-datadog-tags", "_dd.p.tid=1234567890123456");
            if (!w3cFlags.equals("NONE")) {
                incoming.put("traceparent", "00-1234567890123456" + "1234567890123456-0000000000000001-" + w3cFlags);
            }
            SpanContext parent = both.extract(incoming::get);
            Span server = both.spanBuilder("server").parent(parent).start();
            Map<String, String> outgoing = inject(both, server.context());
            server.finish();
            assertEquals(sent, flags(outgoing), rule);
        }
    }

    // ---- 3.3 tracestate -----------------------------------------------------------------------

    /**
     * One tracestate case: the tracestate sent (several lines joined with ","), then the other
     * vendors' members expected on the outgoing call ({@code "-"} when the list is discarded, so none).
     */
    static Stream<Arguments> tracestates() {
        String keyWithoutVendor = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
        String keyWithVendor = keyWithoutVendor + "@a-z0-9_-*/";
        StringBuilder valueChars = new StringBuilder();
        for (char c = 0x20; c <= 0x7e; c++) {
            if (c != ',' && c != '=') {
                valueChars.append(c);
            }
        }
        String value = valueChars.toString();
        StringBuilder thirtyTwo = new StringBuilder();
        for (int i = 1; i <= 32; i++) {
            thirtyTwo.append(i > 1 ? "," : "").append(String.format("bar%02d=%02d", i, i));
        }
        return Stream.of(
            // §3.3.2 "Multiple tracestate header fields MUST be handled as specified by RFC9110 Section 5.3"
            ts("test_tracestate_included_traceparent_included", "foo=1,bar=2", "foo=1,bar=2"),
            ts("test_tracestate_multiple_headers_different_keys", "foo=1,bar=2,rojo=1,congo=2,baz=3",
                "foo=1,bar=2,rojo=1,congo=2,baz=3"),
            // §3.3.2 "Vendors MUST accept empty tracestate headers but SHOULD avoid sending them."
            ts("test_tracestate_empty_header", "", ""),
            ts("test_tracestate_empty_header (foo=1, then empty)", "foo=1,", "foo=1"),
            ts("test_tracestate_empty_header (empty, then foo=1)", ",foo=1", "foo=1"),
            // §3.3.2.2.1 Key: "key = ( lcalpha / DIGIT ) 0*255 ( keychar )",
            // "keychar = lcalpha / DIGIT / "_" / "-"/ "*" / "/" / "@""
            ts("test_tracestate_all_allowed_characters (key without vendor)", keyWithoutVendor + "=" + value,
                keyWithoutVendor + "=" + value),
            ts("test_tracestate_all_allowed_characters (key with vendor)", keyWithVendor + "=" + value,
                keyWithVendor + "=" + value),
            // §3.3.2 "Spaces and horizontal tabs surrounding list-members are ignored."
            ts("test_tracestate_ows_handling (around commas)", "foo=1 \t , \t bar=2, \t baz=3", "foo=1,bar=2,baz=3"),
            ts("test_tracestate_ows_handling (tabs and spaces)", "foo=1\t \t,\t \tbar=2,\t \tbaz=3",
                "foo=1,bar=2,baz=3"),
            ts("test_tracestate_ows_handling (leading space)", " foo=1", "foo=1"),
            ts("test_tracestate_ows_handling (leading tab)", "\tfoo=1", "foo=1"),
            ts("test_tracestate_ows_handling (trailing space)", "foo=1 ", "foo=1"),
            ts("test_tracestate_ows_handling (trailing tab)", "foo=1\t", "foo=1"),
            ts("test_tracestate_ows_handling (both)", "\t foo=1 \t", "foo=1"),
            ts("test_tracestate_key_illegal_characters (space)", "foo =1", "-"),
            ts("test_tracestate_key_illegal_characters (upper case)", "FOO=1", "-"),
            ts("test_tracestate_key_illegal_characters (dot)", "foo.bar=1", "-"),
            ts("test_tracestate_key_illegal_vendor_format (@foo: first char)", "@foo=1,bar=2", "-"),
            // Level 2: '@' is one more keychar; Level 1's tenant@system form and its limits are gone.
            ts("Level 2: foo@ is a key", "foo@=1,bar=2", "foo@=1,bar=2"),
            ts("Level 2: foo@@bar is a key", "foo@@bar=1,bar=2", "foo@@bar=1,bar=2"),
            ts("Level 2: foo@bar@baz is a key", "foo@bar@baz=1,bar=2", "foo@bar@baz=1,bar=2"),
            ts("Level 2: a key may start with a digit", "1rojo=1,bar=2", "1rojo=1,bar=2"),
            // §3.3.2 "There can be a maximum of 32 list-members in a list."
            ts("test_tracestate_member_count_limit (32)", thirtyTwo.toString(), thirtyTwoOthers(thirtyTwo)),
            ts("test_tracestate_member_count_limit (33)", thirtyTwo + ",bar33=33", "-"),
            // §3.3.2.2.1 "contain up to 256 characters"
            ts("test_tracestate_key_length_limit (256)", "foo=1," + "z".repeat(256) + "=1",
                "foo=1," + "z".repeat(256) + "=1"),
            ts("test_tracestate_key_length_limit (257)", "foo=1," + "z".repeat(257) + "=1", "-"),
            ts("test_tracestate_key_length_limit (241@14)", "foo=1," + "t".repeat(241) + "@" + "v".repeat(14) + "=1",
                "foo=1," + "t".repeat(241) + "@" + "v".repeat(14) + "=1"),
            ts("Level 2: 242 characters before '@' (Level 1 discarded it)", "foo=1," + "t".repeat(242) + "@v=1",
                "foo=1," + "t".repeat(242) + "@v=1"),
            ts("Level 2: 15 characters after '@' (Level 1 discarded it)", "foo=1,t@" + "v".repeat(15) + "=1",
                "foo=1,t@" + "v".repeat(15) + "=1"),
            // §3.3.2.2.2 Value: "value = 0*255(chr) nblk-chr", no ',' or '='
            ts("test_tracestate_value_illegal_characters (=)", "foo=bar=baz", "-"),
            ts("test_tracestate_value_illegal_characters (empty)", "foo=,bar=3", "-"),
            ts("value of 256 characters", "foo=" + "v".repeat(256), "foo=" + "v".repeat(256)),
            ts("value of 257 characters", "foo=" + "v".repeat(257), "-"),
            // §3.3.3 "Only one entry per key is allowed"; §3.5 "Adding a key/value pair MUST NOT result in
            // the same key being present multiple times." Level 2: the list is kept, the first member of a
            // key wins (the suite's Level 1 answer discarded the whole list).
            ts("Level 2 test_tracestate_duplicated_keys (foo=1,foo=1)", "foo=1,foo=1", "foo=1"),
            ts("Level 2 test_tracestate_duplicated_keys (foo=1,foo=2)", "foo=1,foo=2", "foo=1"),
            ts("Level 2 duplicated keys keep the others", "foo=1,bar=2,foo=3,baz=4", "foo=1,bar=2,baz=4"),
            ts("Level 2 a duplicated dd member: the first is read, none is passed on", "dd=s:2,rojo=1,dd=s:-1",
                "rojo=1"));
    }

    private static String thirtyTwoOthers(StringBuilder list) {
        // traced puts its dd member first and keeps 31 others: the right-most member goes (§3.3.3.1).
        String all = list.toString();
        return all.substring(0, all.lastIndexOf(','));
    }

    private static Arguments ts(String w3cCase, String tracestate, String othersSent) {
        return Arguments.of(w3cCase, tracestate, othersSent);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tracestates")
    void tracestate(String w3cCase, String tracestate, String othersSent) {
        Map<String, String> outgoing = callThrough(headers("traceparent", PARENT, "tracestate", tracestate));
        assertEquals(TRACE_ID, traceId(outgoing), "§3.3 failure to parse tracestate MUST NOT affect the parsing "
                + "of traceparent");
        Map<String, String> expected = new LinkedHashMap<>();
        if (!othersSent.equals("-") && !othersSent.isEmpty()) {
            for (String member : splitMembers(othersSent)) {
                int equals = member.indexOf('=');
                expected.put(member.substring(0, equals), member.substring(equals + 1));
            }
        }
        assertEquals(expected, otherMembers(outgoing), w3cCase);
        assertNotNull(outgoing.get("tracestate"));
        assertEquals(true, outgoing.get("tracestate").startsWith("dd="),
                "§3.5 Modified keys MUST be moved to the beginning (left) of the list");
    }

    private static List<String> splitMembers(String list) {
        List<String> members = new ArrayList<>();
        for (String member : list.split(",")) {
            members.add(member);
        }
        return members;
    }

    static Stream<Arguments> tracestateWithoutTraceparent() {
        return Stream.of(Arguments.of("foo=1"), Arguments.of("foo=1,bar=2"));
    }

    /** test_tracestate_included_traceparent_missing; §3.3 "If the vendor failed to parse traceparent, it MUST NOT attempt to parse tracestate." */
    @ParameterizedTest(name = "tracestate [{0}] without traceparent")
    @MethodSource("tracestateWithoutTraceparent")
    void tracestateWithoutTraceparentIsDropped(String tracestate) {
        Map<String, String> outgoing = callThrough(headers("tracestate", tracestate));
        assertEquals(Map.of(), otherMembers(outgoing));
        Map<String, String> invalidParent = callThrough(headers("traceparent", "00-" + "0".repeat(32)
                + "-1234567890123456-01", "tracestate", tracestate));
        assertEquals(Map.of(), otherMembers(invalidParent));
    }
}
