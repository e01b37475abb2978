package dev.traced.internal.jaxrs;

import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code dd.trace.resources.ignore}: comma-separated regular expressions, unanchored like the Agent's
 * {@code ignore_resources} (a match anywhere counts), tested against a request's resource
 * ({@code GET /health}) and its path ({@code /health}). They are joined into one expression, so a
 * request pays for one match. An expression that does not compile is skipped with a log line.
 */
final class ResourceExclusion {

    private static final RateLimitedLog LOG = RateLimitedLog.of(ResourceExclusion.class);
    static final ResourceExclusion NONE = new ResourceExclusion(null);

    private final Pattern pattern;

    private ResourceExclusion(Pattern pattern) {
        this.pattern = pattern;
    }

    static ResourceExclusion fromConfig(Config config) {
        return of(config.getList("dd.trace.resources.ignore"));
    }

    static ResourceExclusion of(List<String> expressions) {
        List<String> valid = new ArrayList<>();
        for (String expression : expressions) {
            try {
                Pattern.compile(expression);
                valid.add("(?:" + expression + ")");
            } catch (PatternSyntaxException e) {
                LOG.warn("ignore-regexp", "dd.trace.resources.ignore: skipping '%s', which does not compile: %s",
                        expression, e.getDescription());
            }
        }
        return valid.isEmpty() ? NONE : new ResourceExclusion(Pattern.compile(String.join("|", valid)));
    }

    boolean matchesResource(String resource) {
        return pattern != null && pattern.matcher(resource).find();
    }

    boolean matchesPath(String path) {
        return pattern != null && path != null && pattern.matcher(path).find();
    }

    boolean isEmpty() {
        return pattern == null;
    }
}
