package dev.traced.testagent;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketchProtoBinding;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a {@code /v0.6/stats} body as the Agent does ({@code msgp.Decode} into
 * {@code pb.ClientStatsPayload}): a map keyed by the Go field names of datadog-agent's
 * {@code stats.proto}, each value of the msgpack type the generated decoder reads (str for strings,
 * an unsigned integer for uint64/uint32, bool, bin for the DDSketch summaries, which are then parsed
 * with the protobuf classes of Datadog's sketch library). Anything else is reported in {@code errors}.
 */
final class StatsDecoder {

    private static final Set<String> PAYLOAD_KEYS = Set.of("Hostname", "Env", "Version", "Stats", "Lang",
            "TracerVersion", "RuntimeID", "Sequence", "AgentAggregation", "Service", "ContainerID", "Tags",
            "GitCommitSha", "ImageTag", "ProcessTags");
    private static final Set<String> BUCKET_KEYS = Set.of("Start", "Duration", "Stats", "AgentTimeShift");
    private static final Set<String> GROUP_KEYS = Set.of("Service", "Name", "Resource", "HTTPStatusCode", "Type",
            "DBType", "Hits", "Errors", "Duration", "OkSummary", "ErrorSummary", "Synthetics", "TopLevelHits",
            "SpanKind", "PeerTags", "IsTraceRoot", "GRPCStatusCode", "HTTPMethod", "HTTPEndpoint");

    private final List<String> errors;

    StatsDecoder(List<String> errors) {
        this.errors = errors;
    }

    DecodedStats decode(byte[] body) throws IOException {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(body)) {
            Map<String, Object> fields = new HashMap<>();
            int size = in.unpackMapHeader();
            for (int i = 0; i < size; i++) {
                String key = in.unpackString();
                if (!PAYLOAD_KEYS.contains(key)) {
                    errors.add("ClientStatsPayload has no field " + key);
                    in.skipValue();
                    continue;
                }
                switch (key) {
                    case "Sequence" -> fields.put(key, uint(in, key, 64));
                    case "Stats" -> {
                        int count = array(in, key);
                        List<DecodedStats.Bucket> buckets = new ArrayList<>();
                        for (int b = 0; b < count; b++) {
                            buckets.add(bucket(in));
                        }
                        fields.put(key, buckets);
                    }
                    case "Tags" -> fields.put(key, strings(in, key));
                    default -> fields.put(key, string(in, key));
                }
            }
            if (in.hasNext()) {
                errors.add("bytes after the stats payload");
            }
            @SuppressWarnings("unchecked")
            List<DecodedStats.Bucket> buckets = (List<DecodedStats.Bucket>) fields.getOrDefault("Stats", List.of());
            return new DecodedStats((String) fields.get("Hostname"), (String) fields.get("Env"),
                    (String) fields.get("Version"), (String) fields.get("Lang"), (String) fields.get("TracerVersion"),
                    (String) fields.get("RuntimeID"), (long) fields.getOrDefault("Sequence", -1L),
                    (String) fields.get("Service"), buckets);
        }
    }

    private DecodedStats.Bucket bucket(MessageUnpacker in) throws IOException {
        int size = in.unpackMapHeader();
        long start = 0;
        long duration = 0;
        List<DecodedStats.Group> groups = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String key = in.unpackString();
            if (!BUCKET_KEYS.contains(key)) {
                errors.add("ClientStatsBucket has no field " + key);
                in.skipValue();
                continue;
            }
            switch (key) {
                case "Start" -> start = uint(in, key, 64);
                case "Duration" -> duration = uint(in, key, 64);
                case "AgentTimeShift" -> in.unpackLong();
                default -> {
                    int count = array(in, key);
                    for (int g = 0; g < count; g++) {
                        groups.add(group(in));
                    }
                }
            }
        }
        return new DecodedStats.Bucket(start, duration, groups);
    }

    private DecodedStats.Group group(MessageUnpacker in) throws IOException {
        int size = in.unpackMapHeader();
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i < size; i++) {
            String key = in.unpackString();
            if (!GROUP_KEYS.contains(key)) {
                errors.add("ClientGroupedStats has no field " + key);
                in.skipValue();
                continue;
            }
            switch (key) {
                case "HTTPStatusCode" -> f.put(key, uint(in, key, 32));
                case "Hits", "Errors", "Duration", "TopLevelHits" -> f.put(key, uint(in, key, 64));
                case "Synthetics" -> {
                    if (in.getNextFormat().getValueType() != ValueType.BOOLEAN) {
                        errors.add("Synthetics is " + in.getNextFormat());
                        in.skipValue();
                    } else {
                        f.put(key, in.unpackBoolean());
                    }
                }
                case "IsTraceRoot" -> {
                    long trilean = uint(in, key, 32);
                    if (trilean > 2) {
                        errors.add("IsTraceRoot is " + trilean + ", not a Trilean");
                    }
                    f.put(key, (int) trilean);
                }
                case "OkSummary", "ErrorSummary" -> f.put(key, sketch(in, key));
                case "PeerTags" -> f.put(key, strings(in, key));
                default -> f.put(key, string(in, key));
            }
        }
        for (String required : List.of("Service", "Name", "Resource", "Hits", "Errors", "Duration", "OkSummary",
                "ErrorSummary", "TopLevelHits")) {
            if (!f.containsKey(required)) {
                errors.add("ClientGroupedStats without " + required);
            }
        }
        @SuppressWarnings("unchecked")
        List<String> peerTags = (List<String>) f.getOrDefault("PeerTags", List.of());
        return new DecodedStats.Group((String) f.get("Service"), (String) f.get("Name"), (String) f.get("Resource"),
                (String) f.getOrDefault("Type", ""), (long) f.getOrDefault("HTTPStatusCode", 0L),
                (boolean) f.getOrDefault("Synthetics", false), (int) f.getOrDefault("IsTraceRoot", 0),
                (String) f.getOrDefault("SpanKind", ""), peerTags, (long) f.getOrDefault("Hits", 0L),
                (long) f.getOrDefault("Errors", 0L), (long) f.getOrDefault("TopLevelHits", 0L),
                (long) f.getOrDefault("Duration", 0L), (DDSketch) f.get("OkSummary"),
                (DDSketch) f.get("ErrorSummary"));
    }

    /** A uint64/uint32 field: the generated decoder reads positive fixint and uint8..uint64. */
    private long uint(MessageUnpacker in, String key, int bits) throws IOException {
        MessageFormat format = in.getNextFormat();
        if (format.getValueType() != ValueType.INTEGER) {
            errors.add(key + " is " + format);
            in.skipValue();
            return 0;
        }
        if (format == MessageFormat.INT8 || format == MessageFormat.INT16 || format == MessageFormat.INT32
                || format == MessageFormat.INT64 || format == MessageFormat.NEGFIXINT) {
            errors.add(key + " is a signed " + format + "; the Agent's field is unsigned");
        }
        long value = format == MessageFormat.UINT64 ? in.unpackBigInteger().longValue() : in.unpackLong();
        if (bits == 32 && (value < 0 || value > 0xFFFF_FFFFL)) {
            errors.add(key + " = " + value + " does not fit a uint32");
        }
        return value;
    }

    private String string(MessageUnpacker in, String key) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.STRING) {
            errors.add(key + " is " + in.getNextFormat() + ", not str");
            in.skipValue();
            return null;
        }
        return in.unpackString();
    }

    private int array(MessageUnpacker in, String key) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.ARRAY) {
            errors.add(key + " is " + in.getNextFormat() + ", not an array");
            in.skipValue();
            return 0;
        }
        return in.unpackArrayHeader();
    }

    private List<String> strings(MessageUnpacker in, String key) throws IOException {
        int count = array(in, key);
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(string(in, key + "[" + i + "]"));
        }
        return values;
    }

    private DDSketch sketch(MessageUnpacker in, String key) throws IOException {
        if (in.getNextFormat().getValueType() != ValueType.BINARY) {
            errors.add(key + " is " + in.getNextFormat() + ", not bin");
            in.skipValue();
            return null;
        }
        byte[] bytes = in.readPayload(in.unpackBinaryHeader());
        try {
            return DDSketchProtoBinding.fromProto(UnboundedSizeDenseStore::new,
                    com.datadoghq.sketch.ddsketch.proto.DDSketch.parseFrom(bytes));
        } catch (IOException | RuntimeException e) {
            errors.add(key + " is not a DDSketch protobuf: " + e);
            return null;
        }
    }
}
