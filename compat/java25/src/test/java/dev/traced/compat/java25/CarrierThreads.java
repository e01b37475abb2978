package dev.traced.compat.java25;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Looks into other threads' thread locals (the test JVM opens {@code java.lang}) for objects of the
 * library, also inside the one-element arrays the tracer's thread-locals keep them in: the per-thread
 * active-span stack lives there, so a carrier thread holding one would mean
 * tracing state leaked from a virtual thread onto the platform thread that ran it.
 */
final class CarrierThreads {

    static final String CARRIER_CLASS = "jdk.internal.misc.CarrierThread";

    private CarrierThreads() {
    }

    static boolean isCarrier(Thread thread) {
        return thread.getClass().getName().equals(CARRIER_CLASS);
    }

    /** The live platform threads that match, by name. */
    static List<Thread> threads(Predicate<Thread> which) {
        List<Thread> found = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (which.test(thread)) {
                found.add(thread);
            }
        }
        return found;
    }

    /** "thread: value" for every thread-local value of a {@code dev.traced} class on these threads. */
    static List<String> tracedThreadLocals(List<Thread> threads) throws ReflectiveOperationException {
        Field threadLocals = Thread.class.getDeclaredField("threadLocals");
        threadLocals.setAccessible(true);
        List<String> found = new ArrayList<>();
        for (Thread thread : threads) {
            Object map = threadLocals.get(thread);
            if (map == null) {
                continue;
            }
            Field tableField = map.getClass().getDeclaredField("table");
            tableField.setAccessible(true);
            for (Object entry : (Object[]) tableField.get(map)) {
                if (entry == null) {
                    continue;
                }
                Field valueField = entry.getClass().getDeclaredField("value");
                valueField.setAccessible(true);
                Object value = valueField.get(entry);
                if (value instanceof Object[] slot && slot.length == 1) {
                    value = slot[0]; // the tracer's thread-locals keep their value in a one-element array
                }
                if (value != null && value.getClass().getName().startsWith("dev.traced.")) {
                    found.add(thread.getName() + ": " + value.getClass().getName());
                }
            }
        }
        return found;
    }
}
