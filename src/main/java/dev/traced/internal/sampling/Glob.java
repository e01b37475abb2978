package dev.traced.internal.sampling;

import java.util.Locale;

/**
 * A glob of a sampling rule: {@code *} matches any run of characters, {@code ?} one character, and
 * the comparison ignores case, as in dd-trace-java's rules. Matching allocates nothing.
 */
final class Glob {

    static final Glob ANY = new Glob("*");

    private final String pattern;
    private final boolean matchesAll;
    private final boolean literal;
    /** The part before a single trailing {@code *} (the common {@code web.*} form), else null. */
    private final String prefix;

    private Glob(String pattern) {
        this.pattern = pattern.toLowerCase(Locale.ROOT);
        this.matchesAll = pattern.chars().allMatch(c -> c == '*');
        this.literal = pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
        int star = this.pattern.indexOf('*');
        this.prefix = star == this.pattern.length() - 1 && this.pattern.indexOf('?') < 0
                ? this.pattern.substring(0, star) : null;
    }

    static Glob of(String pattern) {
        return pattern == null || pattern.equals("*") ? ANY : new Glob(pattern);
    }

    boolean matchesAll() {
        return matchesAll;
    }

    boolean matches(String text) {
        if (matchesAll) {
            return true;
        }
        if (text == null) {
            return false;
        }
        if (literal) {
            return pattern.equalsIgnoreCase(text);
        }
        if (prefix != null) {
            return text.regionMatches(true, 0, prefix, 0, prefix.length());
        }
        // Greedy wildcard matching with one backtrack point: linear in practice.
        int p = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?'
                    || pattern.charAt(p) == Character.toLowerCase(text.charAt(t)))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starText = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
