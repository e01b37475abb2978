package dev.traced.internal.context;

import dev.traced.internal.trace.CoreTracer;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The tracers of this class loader that are open, for the context providers that executors load by
 * {@code ServiceLoader} (and so cannot be given a tracer). Held weakly: a tracer that is dropped
 * without being closed does not stay here.
 */
public final class OpenTracers {

    @SuppressWarnings("unchecked")
    private static volatile WeakReference<CoreTracer>[] open = new WeakReference[0];

    private OpenTracers() {
    }

    public static synchronized void opened(CoreTracer tracer) {
        List<WeakReference<CoreTracer>> list = live(tracer);
        list.add(new WeakReference<>(tracer));
        publish(list);
    }

    public static synchronized void closed(CoreTracer tracer) {
        publish(live(tracer));
    }

    /** The open tracers now. */
    static List<CoreTracer> all() {
        WeakReference<CoreTracer>[] refs = open;
        List<CoreTracer> tracers = new ArrayList<>(refs.length);
        for (WeakReference<CoreTracer> ref : refs) {
            CoreTracer tracer = ref.get();
            if (tracer != null) {
                tracers.add(tracer);
            }
        }
        return tracers;
    }

    /** The live references except {@code except}'s. */
    private static List<WeakReference<CoreTracer>> live(CoreTracer except) {
        List<WeakReference<CoreTracer>> list = new ArrayList<>();
        for (WeakReference<CoreTracer> ref : open) {
            CoreTracer tracer = ref.get();
            if (tracer != null && tracer != except) {
                list.add(ref);
            }
        }
        return list;
    }

    @SuppressWarnings("unchecked")
    private static void publish(List<WeakReference<CoreTracer>> list) {
        open = list.toArray(new WeakReference[0]);
    }
}
