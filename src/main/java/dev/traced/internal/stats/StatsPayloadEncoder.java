package dev.traced.internal.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Writes buckets as the msgpack {@code ClientStatsPayload} the Agent decodes on {@code /v0.6/stats}
 * (datadog-agent {@code pkg/proto/datadog/trace/stats.proto}, msgp field names), with the keys and
 * types dd-trace-java's {@code SerializingMetricWriter} writes: counts and times as unsigned
 * integers, latency summaries as the protobuf bytes of a DDSketch, {@code IsTraceRoot} as the
 * Agent's {@code Trilean} (1 true, 2 false).
 */
final class StatsPayloadEncoder {

    static final int TRILEAN_TRUE = 1;
    static final int TRILEAN_FALSE = 2;

    /** The tracer-wide fields of every payload; null values are written as empty strings. */
    record Header(String hostname, String service, String env, String version, String runtimeId,
                  String tracerVersion) {
    }

    private StatsPayloadEncoder() {
    }

    static byte[] encode(Header header, long sequence, List<StatsBucket> buckets) throws IOException {
        try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
            out.packMapHeader(9);
            string(out, "RuntimeID", header.runtimeId());
            out.packString("Sequence").packLong(sequence);
            string(out, "Hostname", header.hostname());
            string(out, "Service", header.service());
            string(out, "Env", header.env());
            string(out, "Version", header.version());
            string(out, "Lang", "java");
            string(out, "TracerVersion", header.tracerVersion());
            out.packString("Stats").packArrayHeader(buckets.size());
            for (StatsBucket bucket : buckets) {
                out.packMapHeader(3);
                out.packString("Start").packLong(bucket.startNanos());
                out.packString("Duration").packLong(bucket.durationNanos());
                out.packString("Stats").packArrayHeader(bucket.size());
                for (Map.Entry<StatsKey, StatsGroup> entry : bucket.groups().entrySet()) {
                    group(out, entry.getKey(), entry.getValue());
                }
            }
            return out.toByteArray();
        }
    }

    private static void group(MessageBufferPacker out, StatsKey key, StatsGroup group) throws IOException {
        out.packMapHeader(15);
        string(out, "Name", key.name());
        string(out, "Service", key.service());
        string(out, "Resource", key.resource());
        string(out, "Type", key.type());
        out.packString("HTTPStatusCode").packInt(key.httpStatusCode());
        out.packString("Synthetics").packBoolean(key.synthetics());
        out.packString("IsTraceRoot").packInt(key.traceRoot() ? TRILEAN_TRUE : TRILEAN_FALSE);
        string(out, "SpanKind", key.spanKind());
        out.packString("PeerTags").packArrayHeader(key.peerTags().length);
        for (String tag : key.peerTags()) {
            out.packString(tag);
        }
        out.packString("Hits").packLong(group.hits());
        out.packString("Errors").packLong(group.errors());
        out.packString("TopLevelHits").packLong(group.topLevelHits());
        out.packString("Duration").packLong(group.durationNanos());
        sketch(out, "OkSummary", group.okLatencies());
        sketch(out, "ErrorSummary", group.errorLatencies());
    }

    private static void string(MessageBufferPacker out, String key, String value) throws IOException {
        out.packString(key).packString(value == null ? "" : value);
    }

    private static void sketch(MessageBufferPacker out, String key, DDSketch sketch) throws IOException {
        ByteBuffer bytes = sketch.serialize();
        int length = bytes.remaining();
        out.packString(key).packBinaryHeader(length);
        if (bytes.hasArray()) {
            out.writePayload(bytes.array(), bytes.arrayOffset() + bytes.position(), length);
        } else {
            byte[] copy = new byte[length];
            bytes.get(copy);
            out.writePayload(copy);
        }
    }
}
