package dev.traced.internal.jaxrs;

import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;

import java.util.BitSet;

/**
 * A set of HTTP status codes in dd-trace-java's notation: {@code 500-599,400} (ranges and single
 * codes, comma-separated). Entries that do not parse are skipped with a log line.
 */
final class HttpStatuses {

    private static final RateLimitedLog LOG = RateLimitedLog.of(HttpStatuses.class);
    private static final int MAX_STATUS = 999;
    /** Status texts for {@code http.status_code}, so tagging a status allocates nothing. */
    private static final String[] TEXTS = new String[MAX_STATUS + 1];

    static {
        for (int i = 0; i < TEXTS.length; i++) {
            TEXTS[i] = Integer.toString(i);
        }
    }

    private final BitSet codes;

    private HttpStatuses(BitSet codes) {
        this.codes = codes;
    }

    static HttpStatuses fromConfig(Config config, String key, String defaultValue) {
        return parse(key, config.getString(key, defaultValue));
    }

    static HttpStatuses parse(String key, String value) {
        BitSet codes = new BitSet(MAX_STATUS + 1);
        for (String entry : value.split(",")) {
            String item = entry.trim();
            if (item.isEmpty()) {
                continue;
            }
            try {
                int dash = item.indexOf('-', 1);
                int from = Integer.parseInt((dash < 0 ? item : item.substring(0, dash)).trim());
                int to = dash < 0 ? from : Integer.parseInt(item.substring(dash + 1).trim());
                if (from > to) {
                    int swap = from;
                    from = to;
                    to = swap;
                }
                if (from < 100 || to > MAX_STATUS) {
                    throw new NumberFormatException("outside 100-" + MAX_STATUS);
                }
                codes.set(from, to + 1);
            } catch (NumberFormatException e) {
                LOG.warn("statuses:" + key, "%s: ignoring '%s' (expected a status or a range like 500-599)", key, item);
            }
        }
        return new HttpStatuses(codes);
    }

    boolean contains(int status) {
        return status >= 0 && status <= MAX_STATUS && codes.get(status);
    }

    static String text(int status) {
        return status >= 0 && status <= MAX_STATUS ? TEXTS[status] : Integer.toString(status);
    }
}
