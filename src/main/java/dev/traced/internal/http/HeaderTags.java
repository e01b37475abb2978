package dev.traced.internal.http;

import dev.traced.Span;
import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code dd.trace.header.tags}: HTTP headers copied to span tags, as dd-trace-java does. Entries are
 * {@code Header[:tag]}, separated by commas; header names ignore case. A named tag is used for the
 * request and the response; an unnamed one becomes {@code http.request.headers.<header>} and
 * {@code http.response.headers.<header>} (lower case, characters other than letters, digits and
 * {@code -} replaced by {@code _}). {@code dd.trace.request.header.tags} and
 * {@code dd.trace.response.header.tags} add entries for one direction only.
 *
 * <p>The JAX-RS filters call {@link #tagRequest} and {@link #tagResponse} with a lookup of the
 * headers by lower-case name:
 * <pre>{@code
 * headerTags.tagRequest(span, name -> requestContext.getHeaderString(name));
 * }</pre>
 */
public final class HeaderTags {

    /** Longer header values are cut: the Agent truncates tag values anyway. */
    static final int MAX_VALUE_CHARS = 8192;
    private static final RateLimitedLog LOG = RateLimitedLog.of(HeaderTags.class);

    /** One header to copy: its lower-case name and the tag it becomes. */
    record Entry(String header, String tag) {
    }

    private final Entry[] request;
    private final Entry[] response;

    HeaderTags(List<Entry> request, List<Entry> response) {
        this.request = request.toArray(new Entry[0]);
        this.response = response.toArray(new Entry[0]);
    }

    public static HeaderTags from(Config config) {
        List<Entry> request = new ArrayList<>();
        List<Entry> response = new ArrayList<>();
        parse(config.raw("dd.trace.header.tags"), "http.request.headers.", request);
        parse(config.raw("dd.trace.header.tags"), "http.response.headers.", response);
        parse(config.raw("dd.trace.request.header.tags"), "http.request.headers.", request);
        parse(config.raw("dd.trace.response.header.tags"), "http.response.headers.", response);
        return new HeaderTags(request, response);
    }

    /** True when no header is configured: the filters can skip the calls. */
    public boolean isEmpty() {
        return request.length == 0 && response.length == 0;
    }

    /** Tags the span with the configured request headers that are present. Never throws. */
    public void tagRequest(Span span, Function<String, String> headers) {
        apply(request, span, headers);
    }

    /** Tags the span with the configured response headers that are present. Never throws. */
    public void tagResponse(Span span, Function<String, String> headers) {
        apply(response, span, headers);
    }

    private static void apply(Entry[] entries, Span span, Function<String, String> headers) {
        if (entries.length == 0 || span == null || headers == null) {
            return;
        }
        for (Entry entry : entries) {
            try {
                String value = headers.apply(entry.header());
                if (value != null) {
                    String trimmed = value.trim();
                    span.setTag(entry.tag(), trimmed.length() > MAX_VALUE_CHARS
                            ? trimmed.substring(0, MAX_VALUE_CHARS) : trimmed);
                }
            } catch (RuntimeException e) {
                LOG.debug("header-tag", "could not read header %s: %s", entry.header(), e);
            }
        }
    }

    static void parse(String value, String defaultPrefix, List<Entry> into) {
        if (value == null) {
            return;
        }
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String header = (colon < 0 ? trimmed : trimmed.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
            String tag = colon < 0 ? "" : trimmed.substring(colon + 1).trim();
            if (header.isEmpty()) {
                LOG.warn("header-tags-entry", "header tags: ignoring entry '%s' (no header name)", trimmed);
                continue;
            }
            into.add(new Entry(header, tag.isEmpty() ? defaultPrefix + normalize(header) : tag));
        }
    }

    private static String normalize(String header) {
        StringBuilder out = new StringBuilder(header.length());
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? c : '_');
        }
        return out.toString();
    }
}
