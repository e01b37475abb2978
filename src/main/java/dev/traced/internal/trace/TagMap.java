package dev.traced.internal.trace;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A span's own tags: keys and values in two arrays, in insertion order. A span has a handful of tags,
 * and for a handful a linear scan beats hashing and costs a third of a {@code HashMap}'s memory
 * (one object and two arrays instead of a table and an entry per tag). Not thread-safe: the span
 * guards it. Iterate with {@link #keyAt}/{@link #valueAt} to allocate nothing.
 *
 * @param <V> String for meta, Number for metrics
 */
final class TagMap<V> extends AbstractMap<String, V> {

    private String[] keys;
    private Object[] values;
    private int size;

    TagMap(int capacity) {
        keys = new String[capacity];
        values = new Object[capacity];
    }

    @Override
    public int size() {
        return size;
    }

    String keyAt(int index) {
        return keys[index];
    }

    @SuppressWarnings("unchecked")
    V valueAt(int index) {
        return (V) values[index];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                return i; // tag keys are mostly literals: the same instance
            }
        }
        if (key != null) {
            for (int i = 0; i < size; i++) {
                if (key.equals(keys[i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public V get(Object key) {
        int index = indexOf(key);
        return index < 0 ? null : valueAt(index);
    }

    @Override
    public V put(String key, V value) {
        int index = indexOf(key);
        if (index >= 0) {
            V previous = valueAt(index);
            values[index] = value;
            return previous;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        size++;
        return null;
    }

    @Override
    public V remove(Object key) {
        int index = indexOf(key);
        if (index < 0) {
            return null;
        }
        V previous = valueAt(index);
        int tail = size - index - 1;
        System.arraycopy(keys, index + 1, keys, index, tail);
        System.arraycopy(values, index + 1, values, index, tail);
        size--;
        keys[size] = null;
        values[size] = null;
        return previous;
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, V> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        last = next++;
                        return new SimpleImmutableEntry<>(keys[last], valueAt(last));
                    }

                    @Override
                    public void remove() {
                        if (last < 0) {
                            throw new IllegalStateException();
                        }
                        TagMap.this.remove(keys[last]);
                        next = last;
                        last = -1;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
