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

    private static volatile List<WeakReference<CoreTracer>> open = List.of();

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
        List<WeakReference<CoreTracer>> refs = open;
        List<CoreTracer> tracers = new ArrayList<>(refs.size());
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

    private static void publish(List<WeakReference<CoreTracer>> list) {
        open = List.copyOf(list);
    }
}
