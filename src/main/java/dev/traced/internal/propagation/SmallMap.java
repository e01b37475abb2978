package dev.traced.internal.propagation;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The few tags and baggage items of one extraction, in insertion order, in one array of keys and
 * values: a {@code LinkedHashMap} cost a node per item, a table, and a map object, for maps that
 * hold a handful of entries (64 at most) and are read once or twice. Lookups are linear. Not
 * thread-safe while it is filled; {@link #freeze()} then makes it read-only, and safe to share once
 * published. The hot paths read it by index ({@link #keyAt}, {@link #valueAt}): iterating a map's
 * entries allocates.
 */
public final class SmallMap extends AbstractMap<String, String> {

    private static final SmallMap EMPTY = new SmallMap(0).freeze();

    /** Keys at even indexes, values at odd ones. */
    private String[] entries;
    private int size;
    /**
     * Null while the map may change; once frozen, header text encoded from it, kept by the style
     * that wrote it (index {@link #DATADOG_TAGS}, {@link #TRACE_STATE_TAGS} or {@link #BAGGAGE}): a
     * trace's {@code _dd.p.*} snapshot and its baggage are frozen maps replaced on every change, and
     * each client call of the trace writes the same text again. An empty marker until a text is kept
     * ({@link #NOTHING_ENCODED}, then {@link #INJECTED_ONCE}): one field for the flag, the marker and
     * the texts keeps the map at 32 bytes. Written without a lock: a race may lose a text, which is
     * then encoded again. Only a complete encoding (nothing left out for a limit) is kept.
     */
    private String[] encoded;

    private static final String[] NOTHING_ENCODED = new String[0];
    /** Frozen, nothing kept, injected once: text is kept from the second injection on. */
    private static final String[] INJECTED_ONCE = new String[0];
    static final int DATADOG_TAGS = 0;
    static final int TRACE_STATE_TAGS = 1;
    static final int BAGGAGE = 2;

    public SmallMap(int expected) {
        entries = expected == 0 ? null : new String[2 * expected];
    }

    /** {@code map} itself when it is a frozen SmallMap, else a frozen copy (in its iteration order). */
    public static SmallMap of(Map<String, String> map) {
        if (map instanceof SmallMap small && small.isFrozen()) {
            return small;
        }
        if (map == null || map.isEmpty()) {
            return EMPTY;
        }
        SmallMap copy = new SmallMap(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            copy.put(entry.getKey(), entry.getValue());
        }
        return copy.freeze();
    }

    /** Makes this map read-only; returns it. */
    public SmallMap freeze() {
        if (encoded == null) {
            encoded = NOTHING_ENCODED;
        }
        return this;
    }

    /** Text encoded from this frozen map by a style, or null. */
    String encoded(int which) {
        String[] texts = encoded;
        return texts == null || texts.length == 0 ? null : texts[which];
    }

    /** Keeps text encoded from this map, when it is frozen (a map still filled may change). */
    void keepEncoded(int which, String text) {
        String[] texts = encoded;
        if (texts == null) {
            return;
        }
        if (texts.length == 0) {
            texts = new String[3];
            encoded = texts;
        }
        texts[which] = text;
    }

    /**
     * Called at each injection of a local trace's frozen map: true from the second on, when keeping the
     * encoded text pays (most traces make one call, and would only pay for keeping it).
     */
    boolean injectedBefore() {
        String[] texts = encoded;
        if (texts == NOTHING_ENCODED) {
            encoded = INJECTED_ONCE;
            return false;
        }
        return texts != null;
    }

    /** True once read-only: only then may text encoded from it be kept. */
    public boolean isFrozen() {
        return encoded != null;
    }

    public String keyAt(int index) {
        return entries[2 * index];
    }

    public String valueAt(int index) {
        return entries[2 * index + 1];
    }

    private void checkWritable() {
        if (encoded != null) {
            throw new UnsupportedOperationException("read-only");
        }
    }

    @Override
    public int size() {
        return size;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < 2 * size; i += 2) {
            if (Objects.equals(entries[i], key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public String get(Object key) {
        int index = indexOf(key);
        return index < 0 ? null : entries[index + 1];
    }

    @Override
    public String put(String key, String value) {
        checkWritable();
        int index = indexOf(key);
        if (index >= 0) {
            String old = entries[index + 1];
            entries[index + 1] = value;
            return old;
        }
        add(key, value);
        return null;
    }

    /**
     * Adds an entry whose key the map is known not to hold (a caller that can tell saves the search
     * {@link #put} makes).
     */
    void add(String key, String value) {
        checkWritable();
        if (entries == null) {
            entries = new String[8];
        } else if (2 * size == entries.length) {
            entries = Arrays.copyOf(entries, entries.length * 2);
        }
        entries[2 * size] = key;
        entries[2 * size + 1] = value;
        size++;
    }

    @Override
    public String remove(Object key) {
        checkWritable();
        int index = indexOf(key);
        if (index < 0) {
            return null;
        }
        String old = entries[index + 1];
        System.arraycopy(entries, index + 2, entries, index, 2 * size - index - 2);
        size--;
        entries[2 * size] = null;
        entries[2 * size + 1] = null;
        return old;
    }

    @Override
    public void clear() {
        checkWritable();
        if (entries != null) {
            Arrays.fill(entries, 0, 2 * size, null);
        }
        size = 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < 2 * size; i += 2) {
            action.accept(entries[i], entries[i + 1]);
        }
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private boolean removable;

                    @Override
                    public boolean hasNext() {
                        return next < 2 * size;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= 2 * size) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, String> entry = new SimpleImmutableEntry<>(entries[next], entries[next + 1]);
                        next += 2;
                        removable = true;
                        return entry;
                    }

                    @Override
                    public void remove() {
                        if (!removable) {
                            throw new IllegalStateException();
                        }
                        removable = false;
                        next -= 2;
                        SmallMap.this.remove(entries[next]);
                    }
                };
            }
        };
    }
}
