package dev.traced.internal.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the Agent groups span stats by (its {@code BucketsAggregationKey}): service, operation name,
 * resource, span type, HTTP status code, synthetics, span kind, whether the span is the root of its
 * distributed trace, and the peer tags of client, producer and consumer spans. Immutable; the hash
 * is computed once because a key is looked up once per counted span.
 *
 * @param peerTags {@code name:value} pairs in the order the Agent listed the names in {@code /info}
 */
record StatsKey(String service, String name, String resource, String type, int httpStatusCode,
                boolean synthetics, String spanKind, boolean traceRoot, String[] peerTags, int hash) {

    private static final String[] NO_PEER_TAGS = new String[0];

    static StatsKey of(String service, String name, String resource, String type, int httpStatusCode,
                       boolean synthetics, String spanKind, boolean traceRoot, String[] peerTags) {
        String[] tags = peerTags == null ? NO_PEER_TAGS : peerTags;
        // By hand rather than Objects.hash: no varargs array, no boxing, once per counted span.
        int hash = Objects.hashCode(service);
        hash = 31 * hash + Objects.hashCode(name);
        hash = 31 * hash + Objects.hashCode(resource);
        hash = 31 * hash + Objects.hashCode(type);
        hash = 31 * hash + httpStatusCode;
        hash = 31 * hash + (synthetics ? 1 : 0);
        hash = 31 * hash + Objects.hashCode(spanKind);
        hash = 31 * hash + (traceRoot ? 1 : 0);
        hash = 31 * hash + Arrays.hashCode(tags);
        return new StatsKey(nonNull(service), nonNull(name), nonNull(resource), nonNull(type), httpStatusCode,
                synthetics, nonNull(spanKind), traceRoot, tags, hash);
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StatsKey key && hash == key.hash && httpStatusCode == key.httpStatusCode
                && synthetics == key.synthetics && traceRoot == key.traceRoot && service.equals(key.service)
                && name.equals(key.name) && resource.equals(key.resource) && type.equals(key.type)
                && spanKind.equals(key.spanKind) && Arrays.equals(peerTags, key.peerTags);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "StatsKey[" + service + ", " + name + ", " + resource + ", " + type + ", " + httpStatusCode
                + (synthetics ? ", synthetics" : "") + ", " + spanKind + (traceRoot ? ", root" : "")
                + ", " + Arrays.toString(peerTags) + "]";
    }
}
