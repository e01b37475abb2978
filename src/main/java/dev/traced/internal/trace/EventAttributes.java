package dev.traced.internal.trace;

import dev.traced.internal.log.RateLimitedLog;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the attributes a user gives {@code addEvent} and {@code addLink} into the values the Agent
 * accepts, with a defined outcome for anything else: never an exception, never an unbounded copy.
 *
 * <p>Event values, as Datadog's span events allow: String, Boolean, a whole number (Long), a
 * floating-point number (Double), or a homogeneous array of one of those. Another {@code Number}
 * (BigDecimal, AtomicLong, ...), a {@code CharSequence}, {@code Character} or {@code Enum} becomes its
 * text (an {@code Enum} its name). Null values, other objects, and mixed or nested arrays are left out with a debug log.
 */
final class EventAttributes {

    static final int MAX_ATTRIBUTES = 128;
    static final int MAX_ARRAY_ELEMENTS = 128;
    /** The Agent truncates meta values at 25,000 bytes; the same cut bounds what a span holds. */
    static final int MAX_STRING_CHARS = 25_000;

    private static final RateLimitedLog LOG = RateLimitedLog.of(EventAttributes.class);

    private EventAttributes() {
    }

    /** Event attributes, converted; an empty map when none are usable. */
    static Map<String, Object> ofEvent(Map<String, ?> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>(Math.min(attributes.size(), MAX_ATTRIBUTES) * 2);
        for (Map.Entry<String, ?> entry : attributes.entrySet()) {
            String key = entry.getKey();
            if (key == null || key.isEmpty()) {
                LOG.debug("event-attribute-key", "a span event attribute without a key was left out");
                continue;
            }
            if (out.size() == MAX_ATTRIBUTES) {
                LOG.debug("event-attributes-limit", "a span event has more than %d attributes; the rest are left out",
                        MAX_ATTRIBUTES);
                break;
            }
            Object value = value(entry.getValue());
            if (value == null) {
                LOG.debug("event-attribute-type", "span event attribute %s left out: %s is not a supported value",
                        key, typeName(entry.getValue()));
                continue;
            }
            out.put(cut(key), value);
        }
        return out.isEmpty() ? Map.of() : Collections.unmodifiableMap(out);
    }

    /** Link attributes: strings only; null keys or values are left out. */
    static Map<String, String> ofLink(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>(Math.min(attributes.size(), MAX_ATTRIBUTES) * 2);
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            // A raw or unchecked map may hold other types: String.valueOf keeps them readable.
            Object key = entry.getKey();
            Object value = entry.getValue();
            if (key == null || value == null) {
                LOG.debug("link-attribute-null", "a span link attribute with a null key or value was left out");
                continue;
            }
            if (out.size() == MAX_ATTRIBUTES) {
                LOG.debug("link-attributes-limit", "a span link has more than %d attributes; the rest are left out",
                        MAX_ATTRIBUTES);
                break;
            }
            out.put(cut(text(key)), cut(text(value)));
        }
        return out.isEmpty() ? Map.of() : Collections.unmodifiableMap(out);
    }

    /** A supported value (a scalar or a list of one kind), or null when the value is left out. */
    private static Object value(Object value) {
        Object scalar = scalar(value);
        if (scalar != null || value == null) {
            return scalar;
        }
        if (value instanceof Collection<?> collection) {
            return array(collection, collection.size());
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            List<Object> elements = new ArrayList<>(Math.min(length, MAX_ARRAY_ELEMENTS));
            for (int i = 0; i < length && elements.size() < MAX_ARRAY_ELEMENTS; i++) {
                elements.add(Array.get(value, i));
            }
            return array(elements, length);
        }
        return null;
    }

    /** String, Boolean, Long or Double; null when the value is none of the scalar kinds. */
    private static Object scalar(Object value) {
        if (value instanceof String text) {
            return cut(text);
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof Number || value instanceof CharSequence || value instanceof Character) {
            return cut(text(value));
        }
        return null;
    }

    /** A homogeneous list, null elements skipped; null when elements differ in kind or are not scalars. */
    private static List<Object> array(Collection<?> elements, int size) {
        List<Object> out = new ArrayList<>(Math.min(size, MAX_ARRAY_ELEMENTS));
        Class<?> kind = null;
        for (Object element : elements) {
            if (element == null) {
                continue;
            }
            Object scalar = scalar(element);
            if (scalar == null || (kind != null && scalar.getClass() != kind)) {
                return null;
            }
            kind = scalar.getClass();
            if (out.size() == MAX_ARRAY_ELEMENTS) {
                LOG.debug("event-array-limit", "a span event array has more than %d elements; the rest are left out",
                        MAX_ARRAY_ELEMENTS);
                break;
            }
            out.add(scalar);
        }
        return Collections.unmodifiableList(out);
    }

    /** The text of a value whose toString the JDK defines (numbers, chars, enums, CharSequences). */
    private static String text(Object value) {
        try {
            return String.valueOf(value);
        } catch (RuntimeException e) {
            // A user CharSequence or enum whose toString fails.
            return value.getClass().getName();
        }
    }

    static String cut(String text) {
        return text.length() > MAX_STRING_CHARS ? text.substring(0, MAX_STRING_CHARS) : text;
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
