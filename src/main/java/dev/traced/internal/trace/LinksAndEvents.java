package dev.traced.internal.trace;

import dev.traced.SpanContext;
import dev.traced.internal.log.RateLimitedLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The links and events of one span, made only when the span gets its first one, so that a span
 * without them carries one null field. Guarded by the span's lock.
 *
 * <p>A link to a span already linked replaces the earlier link. Limits, so that a span's memory stays bounded whatever the application does: 128 links and 128
 * events per span (OpenTelemetry's defaults), 128 attributes per link or event, strings cut at 25,000
 * characters, and 100,000 characters in all per span; what does not fit is dropped whole with a
 * rate-limited debug log.
 */
final class LinksAndEvents {

    static final int MAX_LINKS = 128;
    static final int MAX_EVENTS = 128;
    static final int MAX_CHARS = 100_000;

    private static final RateLimitedLog LOG = RateLimitedLog.of(LinksAndEvents.class);

    private List<SpanLinkData> links;
    private List<SpanEventData> events;
    private int chars;

    /** A second link to the same span replaces the first, as in Python's tracer ({@code set_link}). */
    void addLink(SpanLinkData link) {
        if (links != null) {
            for (int i = 0; i < links.size(); i++) {
                SpanLinkData existing = links.get(i);
                if (existing.spanIdValue() == link.spanIdValue() && existing.traceIdLow() == link.traceIdLow()
                        && existing.traceIdHigh() == link.traceIdHigh()) {
                    chars -= existing.weight();
                    if (fits(link.weight())) {
                        links.set(i, link);
                    } else {
                        chars += existing.weight();
                    }
                    return;
                }
            }
        }
        if (links != null && links.size() >= MAX_LINKS) {
            LOG.debug("links-limit", "a span has %d links already; a link was dropped", MAX_LINKS);
            return;
        }
        if (!fits(link.weight())) {
            return;
        }
        if (links == null) {
            links = new ArrayList<>(2);
        }
        links.add(link);
    }

    void addEvent(SpanEventData event) {
        if (events != null && events.size() >= MAX_EVENTS) {
            LOG.debug("events-limit", "a span has %d events already; an event was dropped", MAX_EVENTS);
            return;
        }
        if (!fits(event.weight())) {
            return;
        }
        if (events == null) {
            events = new ArrayList<>(2);
        }
        events.add(event);
    }

    private boolean fits(int weight) {
        if (chars + weight > MAX_CHARS) {
            LOG.debug("links-events-size", "a span's links and events exceed %d characters; one was dropped",
                    MAX_CHARS);
            return false;
        }
        chars += weight;
        return true;
    }

    List<SpanLinkData> links() {
        return links == null ? List.of() : List.copyOf(links);
    }

    List<SpanEventData> events() {
        return events == null ? List.of() : List.copyOf(events);
    }

    boolean hasLinks() {
        return links != null;
    }

    boolean hasEvents() {
        return events != null;
    }

    /**
     * A link to any SpanContext: a span of this library (its trace's sampling decision gives the
     * flags), an extracted context (its priority gives the flags), or another implementation's hex ids.
     * Null when the context has no usable ids.
     */
    static SpanLinkData linkTo(SpanContext context, Map<String, String> attributes) {
        long high;
        long low;
        long spanId;
        long flags = 0;
        if (context instanceof CoreSpan span) {
            high = span.traceIdHigh();
            low = span.traceIdLow();
            spanId = span.spanIdValue();
            flags = SpanLinkData.flagsOf(span.trace().samplingPriority());
        } else if (context instanceof RemoteContext remote) {
            high = remote.traceIdHigh();
            low = remote.traceIdLow();
            spanId = remote.parentSpanId();
            flags = SpanLinkData.flagsOf(remote.samplingPriority());
        } else {
            String traceId = context.traceId();
            String id = context.spanId();
            if (traceId == null || id == null || traceId.isEmpty() || traceId.length() > 32 || id.isEmpty()
                    || id.length() > 16) {
                return null;
            }
            int split = Math.max(0, traceId.length() - 16);
            high = split == 0 ? 0 : Ids.parseHex64(traceId, 0, split);
            low = Ids.parseHex64(traceId, split, traceId.length());
            spanId = Ids.parseHex64(id, 0, id.length());
        }
        if ((low == 0 && high == 0) || spanId == 0) {
            return null;
        }
        return new SpanLinkData(high, low, spanId, EventAttributes.ofLink(attributes), null, flags);
    }
}
