package dev.traced.internal.propagation;

/**
 * The W3C {@code tracestate} list, Trace Context Level 2: {@code key=value} members separated by
 * commas, at most 32. A key is a lower-case letter or a digit, then up to 255 of
 * {@code [a-z0-9_*\/@-]} (Level 2's {@code key = ( lcalpha / DIGIT ) 0*255 ( keychar )}: the Level 1
 * {@code tenant@system} limits are gone); a value is 1 to 256 printable ASCII characters without
 * {@code ,} or {@code =}, not ending in a space. A key seen twice keeps its first member (the
 * later ones are dropped: Level 2 forbids sending a key twice, and the left-most member is the most
 * recent position). A list that breaks the grammar is discarded whole.
 */
final class TraceState {

    static final int MAX_MEMBERS = 32;
    static final int MAX_KEY_LENGTH = 256;
    static final int MAX_VALUE_LENGTH = 256;
    /** Longest header we parse: 32 members of maximal size and some white space; longer is hostile. */
    static final int MAX_HEADER_LENGTH = 32 * (256 + 1 + 256) + 31 + 512;

    private TraceState() {
    }

    /** Offsets of the members being read: one array per thread (JDK type only), as parsing is not nested. */
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[3 * MAX_MEMBERS]);

    /**
     * The members of a header (several header lines joined with {@code ,} are one list), in order,
     * as offsets into the header: for member {@code i}, the key is {@code [m[3i], m[3i+1])} and the
     * value {@code [m[3i+1]+1, m[3i+2])}; the slot after the last member holds -1 (read them with
     * {@link #count}). Null when the list breaks the grammar: such a tracestate is discarded as a
     * whole. The array is this thread's, valid until the next call: offsets in a reused array rather
     * than a map leave no per-request garbage.
     *
     * <p>Each member is read in one pass, character by character: its key checked up to the
     * {@code =}, its value up to the comma (a value's trailing white space is not part of it), rather
     * than a search for the comma, another for the {@code =}, then a pass over each part.
     */
    static int[] parse(String header) {
        int length = header.length();
        if (length > MAX_HEADER_LENGTH) {
            return null;
        }
        int[] members = null;
        int count = 0;
        int seen = 0;
        int position = 0;
        while (position <= length) {
            int start = HeaderText.skipOws(header, position, length);
            if (start == length || header.charAt(start) == ',') {
                position = start + 1; // empty list members are allowed and skipped
                continue;
            }
            int equals = keyEnd(header, start, length);
            if (equals < 0 || seen == MAX_MEMBERS) {
                return null;
            }
            // The value: up to the comma, without its trailing white space; a tab before a value
            // character, or any character outside 0x20-0x7e, '=' or ',' breaks the grammar.
            int stop = equals + 1;
            boolean tab = false;
            int end = equals + 1;
            for (; end < length; end++) {
                char c = header.charAt(end);
                if (c == ',') {
                    break;
                } else if (c == '\t') {
                    tab = true;
                } else if (c < 0x20 || c > 0x7e || c == '=') {
                    return null;
                } else if (c != ' ') {
                    if (tab) {
                        return null;
                    }
                    stop = end + 1;
                }
            }
            if (stop == equals + 1 || stop - equals - 1 > MAX_VALUE_LENGTH) {
                return null;
            }
            seen++;
            if (!isDuplicate(header, members, count, start, equals)) { // the first member of a key wins
                if (members == null) {
                    members = SCRATCH.get();
                }
                members[3 * count] = start;
                members[3 * count + 1] = equals;
                members[3 * count + 2] = stop;
                count++;
            }
            position = end + 1;
        }
        if (members == null) {
            return NONE;
        }
        if (count < MAX_MEMBERS) {
            members[3 * count] = -1;
        }
        return members;
    }

    /**
     * Where the key starting at {@code start} ends: the index of its {@code =}, or -1 when the key
     * breaks the grammar or no {@code =} follows it.
     */
    private static int keyEnd(String header, int start, int length) {
        char first = header.charAt(start);
        if (!isLowerAlpha(first) && !isDigit(first)) {
            return -1;
        }
        int limit = Math.min(length, start + MAX_KEY_LENGTH);
        for (int i = start + 1; i < limit; i++) {
            char c = header.charAt(i);
            if (c >= 128 || !KEY_CHAR[c]) {
                return c == '=' ? i : -1;
            }
        }
        return limit < length && header.charAt(limit) == '=' ? limit : -1;
    }

    /**
     * True when {@code list} can follow the {@code dd} member as it is: valid members separated by
     * single commas, no white space or empty member, no {@code dd} key, no key twice, at most 31
     * members. What {@link TraceContextStyle} keeps from an extraction is such a list; checked without
     * allocating, since every injection of a continued trace passes it on.
     */
    static boolean isPassOnReady(String list) {
        return isPassOnReady(list, 0);
    }

    /** As {@link #isPassOnReady(String)}, for the list that starts at {@code from} and runs to the end. */
    static boolean isPassOnReady(String list, int from) {
        int length = list.length();
        if (length - from > MAX_HEADER_LENGTH) {
            return false;
        }
        int members = 0;
        int start = from;
        while (start < length) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int equals = list.indexOf('=', start);
            if (equals < 0 || equals >= end || ++members >= MAX_MEMBERS || !isValidKey(list, start, equals)
                    || !isValidValue(list, equals + 1, end) || list.charAt(end - 1) == '\t'
                    || (equals - start == 2 && list.startsWith("dd", start))
                    || (comma >= 0 && comma == length - 1) || keyAppearsBefore(list, from, start, equals)) {
                return false;
            }
            start = end + 1;
        }
        return members > 0;
    }

    /** True when the key {@code [keyStart, keyEnd)} is also the key of a member before {@code keyStart}. */
    private static boolean keyAppearsBefore(String list, int from, int keyStart, int keyEnd) {
        int keyLength = keyEnd - keyStart;
        int start = from;
        while (start < keyStart) {
            if (list.regionMatches(start, list, keyStart, keyLength) && list.charAt(start + keyLength) == '=') {
                return true;
            }
            start = list.indexOf(',', start) + 1;
        }
        return false;
    }

    /** A valid, empty list. */
    static final int[] NONE = {};

    /** The number of members in offsets from {@link #parse}. */
    static int count(int[] members) {
        int count = 0;
        while (3 * count < members.length && members[3 * count] >= 0) {
            count++;
        }
        return count;
    }

    /** True when member {@code i} has the key {@code key}. */
    static boolean hasKey(String header, int[] members, int i, String key) {
        int start = members[3 * i];
        return members[3 * i + 1] - start == key.length() && header.startsWith(key, start);
    }

    /** Appends member {@code i} as {@code key=value}. */
    static void appendMember(StringBuilder out, String header, int[] members, int i) {
        out.append(header, members[3 * i], members[3 * i + 2]);
    }

    /** {@code key = ( lcalpha / DIGIT ) 0*255 ( keychar )}, keychar adding {@code _ - * / @}. */
    static boolean isValidKey(CharSequence text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > MAX_KEY_LENGTH) {
            return false;
        }
        char first = text.charAt(from);
        if (!isLowerAlpha(first) && !isDigit(first)) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 128 || !KEY_CHAR[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDuplicate(String header, int[] members, int count, int keyStart, int keyEnd) {
        int keyLength = keyEnd - keyStart;
        for (int i = 0; i < count; i++) {
            if (members[3 * i + 1] - members[3 * i] == keyLength
                    && header.regionMatches(members[3 * i], header, keyStart, keyLength)) {
                return true;
            }
        }
        return false;
    }

    static boolean isValidValue(CharSequence text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > MAX_VALUE_LENGTH || text.charAt(to - 1) == ' ') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
                return false;
            }
        }
        return true;
    }

    /** {@code keychar}, by table. */
    private static final boolean[] KEY_CHAR = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            KEY_CHAR[c] = isLowerAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/' || c == '@';
        }
    }

    private static boolean isLowerAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
