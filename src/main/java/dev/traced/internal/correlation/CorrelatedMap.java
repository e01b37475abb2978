package dev.traced.internal.correlation;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A log line's MDC as a logging backend shows it: the application's MDC (as it was when the line was
 * logged) plus the correlation keys, without copying either. Read-only. A key the application set
 * itself keeps the application's value.
 */
final class CorrelatedMap extends AbstractMap<String, String> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> user;
    private final transient LogIds ids;
    private transient Set<Entry<String, String>> entries;

    /** {@code user} is the application's MDC, not copied: the caller passes an immutable snapshot. */
    CorrelatedMap(Map<String, String> user, LogIds ids) {
        this.user = user == null ? Map.of() : user;
        this.ids = ids;
    }

    @Override
    public String get(Object key) {
        String value = user.get(key);
        return value != null ? value : ids.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return user.containsKey(key) || ids.get(key) != null;
    }

    @Override
    public boolean isEmpty() {
        return false; // the trace and span ids are always there
    }

    @Override
    public int size() {
        int size = user.size();
        for (String key : LogIds.KEYS) {
            if (ids.get(key) != null && !user.containsKey(key)) {
                size++;
            }
        }
        return size;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Set<Entry<String, String>> set = entries;
        if (set == null) {
            set = new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return new Entries();
                }

                @Override
                public int size() {
                    return CorrelatedMap.this.size();
                }
            };
            entries = set;
        }
        return set;
    }

    /** Serialized (a socket appender, say) as a plain map. */
    private Object writeReplace() {
        return new HashMap<>(this);
    }

    /** The application's entries, then the correlation keys it did not set itself. */
    private final class Entries implements Iterator<Entry<String, String>> {
        private final Iterator<Entry<String, String>> users = user.entrySet().iterator();
        private int next = -1;

        Entries() {
            advance();
        }

        private void advance() {
            do {
                next++;
            } while (next < LogIds.KEYS.length
                    && (ids.get(LogIds.KEYS[next]) == null || user.containsKey(LogIds.KEYS[next])));
        }

        @Override
        public boolean hasNext() {
            return users.hasNext() || next < LogIds.KEYS.length;
        }

        @Override
        public Entry<String, String> next() {
            if (users.hasNext()) {
                return new SimpleImmutableEntry<>(users.next());
            }
            if (next >= LogIds.KEYS.length) {
                throw new NoSuchElementException();
            }
            String key = LogIds.KEYS[next];
            advance();
            return new SimpleImmutableEntry<>(key, ids.get(key));
        }
    }
}
