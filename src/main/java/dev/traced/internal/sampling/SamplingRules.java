package dev.traced.internal.sampling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.traced.internal.log.RateLimitedLog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code dd.trace.sampling.rules}: a JSON array of
 * {@code {"service": glob, "name": glob, "resource": glob, "tags": {key: glob}, "sample_rate": 0..1}}.
 * A rule without a valid {@code sample_rate}, or with a field of the wrong type, is logged and
 * skipped; the other rules still apply. A missing glob matches everything.
 */
final class SamplingRules {

    private static final RateLimitedLog LOG = RateLimitedLog.of(SamplingRules.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SamplingRules() {
    }

    static List<SamplingRule> parse(String json, int rateLimit) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            LOG.warn("rules-json", "dd.trace.sampling.rules is not valid JSON (%s); no rules apply",
                    e.getOriginalMessage());
            return List.of();
        }
        if (root == null || !root.isArray()) {
            LOG.warn("rules-array", "dd.trace.sampling.rules must be a JSON array; no rules apply");
            return List.of();
        }
        List<SamplingRule> rules = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            String problem = problem(node);
            if (problem != null) {
                LOG.warn("rule-invalid:" + i, "dd.trace.sampling.rules: skipping rule %d (%s): %s", i, problem, node);
                continue;
            }
            rules.add(new SamplingRule(glob(node, "service"), glob(node, "name"), glob(node, "resource"),
                    tags(node.get("tags")), node.get("sample_rate").asDouble(), rateLimit));
        }
        return List.copyOf(rules);
    }

    /** Why a rule is invalid, or null when it is valid. */
    private static String problem(JsonNode node) {
        if (node == null || !node.isObject()) {
            return "not a JSON object";
        }
        JsonNode rate = node.get("sample_rate");
        if (rate == null || !rate.isNumber()) {
            return "sample_rate is missing or not a number";
        }
        if (!(rate.asDouble() >= 0 && rate.asDouble() <= 1)) {
            return "sample_rate is outside [0, 1]";
        }
        for (String field : new String[] {"service", "name", "resource"}) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull() && !value.isTextual()) {
                return field + " is not a string";
            }
        }
        JsonNode tags = node.get("tags");
        if (tags != null && !tags.isNull()) {
            if (!tags.isObject()) {
                return "tags is not an object";
            }
            for (JsonNode value : tags) {
                if (!value.isValueNode() || value.isNull()) {
                    return "a tag glob is not a string";
                }
            }
        }
        return null;
    }

    private static Glob glob(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Glob.ANY : Glob.of(value.asText());
    }

    private static Map<String, Glob> tags(JsonNode tags) {
        Map<String, Glob> globs = new LinkedHashMap<>();
        if (tags != null && tags.isObject()) {
            for (Map.Entry<String, JsonNode> field : tags.properties()) {
                globs.put(field.getKey(), Glob.of(field.getValue().asText()));
            }
        }
        return globs;
    }
}
