package dev.traced.internal.jaxrs;

import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Redacts secrets in {@code http.query.string} as Datadog tracers do: every match of
 * {@code dd.trace.obfuscation.query.string.regexp} (default: Datadog's built-in expression for
 * passwords, keys, tokens, signatures, bearer tokens, JWTs, private and ssh keys) becomes
 * {@code <redacted>}.
 *
 * <p>Query strings longer than {@link #MAX_QUERY_CHARS} are cut before matching, which bounds the
 * regex work per request (java.util.regex, unlike Datadog's re2j, is not linear-time). A custom
 * expression that does not compile means the query string is not reported at all (fail closed).
 */
final class QueryObfuscator {

    private static final RateLimitedLog LOG = RateLimitedLog.of(QueryObfuscator.class);
    static final int MAX_QUERY_CHARS = 2048;
    private static final String REDACTED = "<redacted>";

    /** Datadog's default, in parts. Group 1 (the character before a JWT) is kept in the output. */
    static final String DEFAULT_PATTERN = "(?i)(?:(?:\"|%22)?)"
            // key=value and "key": "value" pairs whose key names a secret
            + "(?:(?:old[-_]?|new[-_]?)?p(?:ass)?w(?:or)?d(?:1|2)?|pass(?:[-_]?phrase)?|secret"
            + "|(?:api[-_]?|private[-_]?|public[-_]?|access[-_]?|secret[-_]?|app(?:lication)?[-_]?)key(?:[-_]?id)?"
            + "|token|consumer[-_]?(?:id|key|secret)|sign(?:ed|ature)?|auth(?:entication|orization)?)"
            + "(?:(?:\\s|%20)*(?:=|%3D)[^&]+"
            + "|(?:\"|%22)(?:\\s|%20)*(?::|%3A)(?:\\s|%20)*(?:\"|%22)(?:%2[^2]|%[^2]|[^\"%])+(?:\"|%22))"
            // bearer tokens, token:..., GitHub tokens
            + "|(?:bearer(?:\\s|%20)+[a-z0-9._\\-]+|token(?::|%3A)[a-z0-9]{13}|gh[opsu]_[0-9a-zA-Z]{36}"
            // JWTs
            + "|(^|[^\\w%-]|%[0-9a-f]{2})ey[I-L][\\w-]+(?:=|%3D)*\\.ey[I-L][\\w-]+(?:=|%3D)*(?:\\.(?:[\\w.+/=-]|%3D|%2F|%2B)+)?"
            // PEM private keys
            + "|-{5}BEGIN(?:[a-z\\s]|%20)+PRIVATE(?:\\s|%20)KEY-{5}[^\\-]+-{5}END(?:[a-z\\s]|%20)+PRIVATE(?:\\s|%20)KEY(?:-{5})?(?:\\n|%0A)?"
            // ssh public keys
            + "|(?:ssh-(?:rsa|dss)|ecdsa-[a-z0-9]+-[a-z0-9]+)(?:\\s|%20|%09)+(?:[a-z0-9/.+]|%2F|%5C|%2B){100,}(?:=|%3D)*(?:(?:\\s|%20|%09)+[a-z0-9._-]+)?)";

    private static final Pattern DEFAULT = Pattern.compile(DEFAULT_PATTERN);

    private final Pattern pattern;
    private final String replacement;
    private final boolean failClosed;

    private QueryObfuscator(Pattern pattern, String replacement, boolean failClosed) {
        this.pattern = pattern;
        this.replacement = replacement;
        this.failClosed = failClosed;
    }

    static QueryObfuscator fromConfig(Config config) {
        return of(config.rawOrEmpty("dd.trace.obfuscation.query.string.regexp"));
    }

    /** Null: Datadog's default expression; empty: no obfuscation, as in dd-trace-java. */
    static QueryObfuscator of(String regex) {
        if (regex == null) {
            return new QueryObfuscator(DEFAULT, "$1" + REDACTED, false);
        }
        if (regex.isEmpty()) {
            return new QueryObfuscator(null, null, false);
        }
        try {
            // A user expression may capture the secret itself, so nothing of the match is kept.
            return new QueryObfuscator(Pattern.compile(regex), Matcher.quoteReplacement(REDACTED), false);
        } catch (PatternSyntaxException e) {
            LOG.warn("query-regexp", "dd.trace.obfuscation.query.string.regexp does not compile (%s); "
                    + "query strings are not reported", e.getDescription());
            return new QueryObfuscator(null, null, true);
        }
    }

    /** The query to report, or null when it must not be reported. */
    String obfuscate(String query) {
        if (query == null || query.isEmpty() || failClosed) {
            return null;
        }
        String bounded = query.length() > MAX_QUERY_CHARS ? query.substring(0, MAX_QUERY_CHARS) : query;
        if (pattern == null) {
            return bounded;
        }
        try {
            Matcher matcher = pattern.matcher(bounded);
            if (!matcher.find()) {
                return bounded;
            }
            StringBuilder out = new StringBuilder(bounded.length());
            do {
                matcher.appendReplacement(out, replacement);
            } while (matcher.find());
            matcher.appendTail(out);
            return out.toString();
        } catch (RuntimeException | StackOverflowError e) {
            // Never report a query that could not be obfuscated.
            LOG.debug("query-obfuscation", "could not obfuscate a query string; it is not reported: %s", e);
            return null;
        }
    }
}
