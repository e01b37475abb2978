package dev.traced.internal.trace;

import dev.traced.internal.propagation.SmallMap;
import dev.traced.internal.sampling.SamplingDecision;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The spans of one trace in this process while it is being assembled. When the last open span
 * finishes, the finished spans go to the writer as one chunk; a trace with very many spans is
 * written in parts ({@code dd.trace.partial.flush.min.spans}).
 *
 * <p>Also holds the trace-level state: the sampling priority and decision, the origin and the
 * propagated {@code _dd.p.*} tags.
 *
 * <p>The state is guarded by the trace's own lock ({@link #lock}), not a monitor: one atomic
 * instruction to take it where a monitor costs two (its exit is a compare-and-set as well), which is
 * about 8 ns of every span's finish. It is not reentrant: nothing done while it is held takes it
 * again (the tag visitors it calls only write what they are given), and no section it guards blocks.
 */
public final class PendingTrace {

    /** No sampling decision yet (never written). */
    public static final int UNSET = Integer.MIN_VALUE;
    public static final int USER_DROP = -1;
    public static final int SAMPLER_DROP = 0;
    public static final int SAMPLER_KEEP = 1;
    public static final int USER_KEEP = 2;
    /** {@code _dd.p.dm} of manual keep/drop. */
    static final int MANUAL_MECHANISM = 4;
    private static final String[] DM_VALUES = {"-0", "-1", "-2", "-3", "-4", "-5", "-6", "-7", "-8", "-9",
        "-10", "-11", "-12", "-13"};

    /*
     * Plain and release-mode access to volatile fields, for the per-span hot path. A store to a
     * volatile field costs a full fence on x86 (tens of ns apiece, several per span); here none is
     * needed: the constructor's and rootStarted's stores happen before the trace is visible to any
     * other thread (it is published through the thread's own stack, a lock or the writer's queue), and
     * the decision recorded when the root finishes is written under the lock, so a release store is
     * enough for the lock-free readers (their volatile read sees it or an older value, then they take
     * the lock).
     */
    private static final VarHandle SAMPLING_PRIORITY;
    private static final VarHandle LOCAL_ROOT;
    private static final VarHandle BAGGAGE;
    private static final VarHandle LOCK;
    /** Spins before a waiting thread yields: a section under the lock takes well under a microsecond. */
    private static final int SPINS = 100;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SAMPLING_PRIORITY = lookup.findVarHandle(PendingTrace.class, "samplingPriority", int.class);
            LOCAL_ROOT = lookup.findVarHandle(PendingTrace.class, "localRoot", CoreSpan.class);
            BAGGAGE = lookup.findVarHandle(PendingTrace.class, "baggage", Map.class);
            LOCK = lookup.findVarHandle(PendingTrace.class, "locked", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CoreTracer tracer;
    private final long traceIdHigh;
    private final long traceIdLow;
    private final RemoteContext remoteParent;

    private volatile CoreSpan localRoot;
    private int openSpans;
    private CoreSpan firstFinished;
    private List<CoreSpan> finished;

    /**
     * Volatile so that each injection reads it without the lock; written under the lock. A priority
     * other than {@link #UNSET} is locked: no sampler changes it any more.
     */
    private volatile int samplingPriority;
    /** The {@code _dd.p.dm} mechanism, or -1; a field rather than a tag so deciding allocates nothing. */
    private int decisionMaker = -1;
    /** The rate the deciding sampler applied ({@code _dd.agent_psr} or {@code _dd.rule_psr}), or NaN. */
    private double samplingRate = Double.NaN;
    /** Which metric {@link #samplingRate} is written as. */
    private String samplingRateKey;
    /** Set once, from the remote parent. */
    private final String origin;
    /** Propagated tags ({@code _dd.p.*}), in insertion order; null while this trace has set none. */
    private Map<String, String> propagationTags;
    /** What {@link #propagationTags()} last returned; null once a tag or the decision changes. */
    private volatile Map<String, String> propagationSnapshot;
    /** Extra tags for the local root (sampling rates, propagation errors, parent id, links). */
    private Map<String, String> rootMeta;
    private Map<String, Number> rootMetrics;
    /** The trace id as logs show it, made on first use (a benign race: strings are immutable). */
    private String correlationTraceId;
    /**
     * W3C Level 2: at least the low 56 bits of the trace id are random. True for the ids this process
     * makes (the low 64 bits are random), else what the caller's traceparent said.
     */
    private final boolean traceIdRandom;
    /**
     * The W3C baggage of the trace in this process, shared by its spans as ddtrace's context does:
     * an unmodifiable map replaced on each change, so that reading it (every injection) takes no lock.
     */
    private volatile Map<String, String> baggage;
    /** 1 while a thread holds the trace's lock; a byte, so it fits where the layout had padding. */
    private volatile byte locked;

    PendingTrace(CoreTracer tracer, long traceIdHigh, long traceIdLow, RemoteContext remoteParent) {
        this.tracer = tracer;
        this.traceIdHigh = traceIdHigh;
        this.traceIdLow = traceIdLow;
        this.remoteParent = remoteParent;
        this.traceIdRandom = remoteParent == null || remoteParent.randomTraceId();
        BAGGAGE.set(this, remoteParent == null ? Map.of() : remoteParent.baggage());
        if (remoteParent == null) {
            SAMPLING_PRIORITY.set(this, UNSET);
            origin = null;
        } else {
            SAMPLING_PRIORITY.set(this, remoteParent.samplingPriority());
            origin = remoteParent.origin();
        }
    }

    private static boolean isPropagationTag(String key) {
        return key.startsWith("_dd.p.");
    }

    /**
     * The remote parent's {@code _dd.p.*} tags ({@code propagation}) or its others (tags for the local
     * root: {@code baggage.*}, {@code _dd.parent_id}), in its order. They are read where the remote
     * context keeps them (immutable) and copied into {@link #propagationTags} or {@link #rootMeta} only
     * when this trace changes one of those: most continued traces change neither, and filling the two
     * maps for every continued trace was a fifth of what a server span continuing a trace allocated.
     */
    private void forEachRemoteTag(boolean propagation, BiConsumer<String, String> action) {
        if (remoteParent != null && !remoteParent.propagationTags().isEmpty()) {
            remoteParent.propagationTags().forEach((key, value) -> {
                if (isPropagationTag(key) == propagation) {
                    action.accept(key, value);
                }
            });
        }
    }

    /** This trace's {@code _dd.p.*} tags: its own once it has set one, else its caller's. Under the lock. */
    private void forEachPropagationTag(BiConsumer<String, String> action) {
        if (propagationTags != null) {
            propagationTags.forEach(action);
        } else {
            forEachRemoteTag(true, action);
        }
    }

    /** The extra tags for the local root: its own once it has set one, else its caller's. Under the lock. */
    private void forEachRootMeta(BiConsumer<String, String> action) {
        if (rootMeta != null) {
            rootMeta.forEach(action);
        } else {
            forEachRemoteTag(false, action);
        }
    }

    /** Takes the trace's lock: a compare-and-set, then spins and yields while another thread holds it. */
    private void lock() {
        if (!LOCK.compareAndSet(this, (byte) 0, (byte) 1)) {
            lockContended();
        }
    }

    private void lockContended() {
        int spins = 0;
        while ((byte) LOCK.getVolatile(this) != 0 || !LOCK.compareAndSet(this, (byte) 0, (byte) 1)) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** A release store: what was written under the lock is seen by the next thread that takes it. */
    private void unlock() {
        LOCK.setRelease(this, (byte) 0);
    }

    public CoreTracer tracer() {
        return tracer;
    }

    public long traceIdHigh() {
        return traceIdHigh;
    }

    public long traceIdLow() {
        return traceIdLow;
    }

    /**
     * The trace id as dd-trace-java writes {@code dd.trace_id} in logs: 32 hex characters for a 128-bit
     * id, the decimal lower 64 bits when the upper bits are zero; cached.
     */
    public String correlationTraceId() {
        String text = correlationTraceId;
        if (text == null) {
            text = traceIdHigh != 0 ? Ids.toHex32(traceIdHigh, traceIdLow) : Long.toUnsignedString(traceIdLow);
            correlationTraceId = text;
        }
        return text;
    }

    /** True when the trace id qualifies for the W3C Level 2 random trace id flag. */
    public boolean isTraceIdRandom() {
        return traceIdRandom;
    }

    /** The context this trace continues, null when it started in this process. */
    public RemoteContext remoteParent() {
        return remoteParent;
    }

    public CoreSpan localRoot() {
        return localRoot;
    }

    // ---- assembly -----------------------------------------------------------------------------

    /**
     * The first span of a trace this thread just created: no other thread can see the trace yet, so
     * no lock; the lock taken when a span finishes publishes these writes.
     */
    void rootStarted(CoreSpan span) {
        LOCAL_ROOT.set(this, span);
        openSpans = 1;
    }

    void spanStarted(CoreSpan span) {
        lock();
        try {
            if (localRoot == null) {
                localRoot = span;
            }
            openSpans++;
        } finally {
            unlock();
        }
    }

    /**
     * Finishes the span at {@code endNanoTime} and writes the chunk when it completes one. Returns
     * false, doing nothing, when the span was already finished (a second finish, maybe on another
     * thread): the span's finished flag is set here, under this lock.
     */
    boolean spanFinished(CoreSpan span, long endNanoTime) {
        // The priority is decided when the local root finishes: computed before the lock (it reads
        // only the root's names and the trace id), recorded under the lock the finish takes anyway.
        SamplingDecision decision = span == localRoot && !isPriorityLocked()
                ? tracer.sampling().decisionOrNull(span) : null;
        List<CoreSpan> chunk = null;
        lock();
        try {
            if (!span.markFinished(endNanoTime)) {
                return false;
            }
            if (decision != null) {
                record(decision);
            }
            openSpans--;
            if (firstFinished == null && finished == null) {
                firstFinished = span;
            } else {
                if (finished == null) {
                    finished = new ArrayList<>();
                    finished.add(firstFinished);
                    firstFinished = null;
                }
                finished.add(span);
            }
            if (openSpans <= 0
                    || (finished != null && finished.size() >= tracer.settings().partialFlushMinSpans())) {
                chunk = takeFinished();
            }
        } finally {
            unlock();
        }
        if (chunk != null) {
            if (!isPriorityLocked()) {
                // A chunk leaving before its root finished (partial flush, or a root finished on
                // another tracer): decide now, at the latest.
                tracer.sampling().decide(this);
            }
            tracer.write(this, chunk);
        }
        return true;
    }

    /** Records a sampler's decision unless a priority is already locked. Called under the lock. */
    private void record(SamplingDecision decision) {
        if (recordDecision(decision.priority(), decision.mechanism(), decision.rateKey(), decision.rate())
                && !Double.isNaN(decision.limitRate())) {
            putRootMetricLocked("_dd.limit_psr", decision.limitRate());
        }
    }

    private List<CoreSpan> takeFinished() {
        List<CoreSpan> chunk;
        if (finished != null) {
            chunk = finished;
            finished = null;
        } else {
            chunk = List.of(firstFinished);
            firstFinished = null;
        }
        return chunk;
    }

    // ---- sampling -----------------------------------------------------------------------------

    public int samplingPriority() {
        return samplingPriority;
    }

    public boolean isPriorityLocked() {
        return samplingPriority != UNSET;
    }

    /**
     * Sets the priority decided by a sampler, with its mechanism ({@code _dd.p.dm}), unless a priority
     * is already locked. Returns false when it was locked.
     */
    public boolean setSamplingDecision(int priority, int mechanism) {
        return setSamplingDecision(priority, mechanism, null, Double.NaN);
    }

    /** Called under the lock when the decision or a tag changes; writes only when there is a snapshot. */
    private void dropPropagationSnapshot() {
        if (propagationSnapshot != null) {
            propagationSnapshot = null;
        }
    }

    /**
     * As {@link #setSamplingDecision(int, int)}, and records the rate the sampler applied (written on
     * the local root as {@code rateKey}) under the same lock. Returns false when a priority was locked.
     */
    public boolean setSamplingDecision(int priority, int mechanism, String rateKey, double rate) {
        lock();
        try {
            return recordDecision(priority, mechanism, rateKey, rate);
        } finally {
            unlock();
        }
    }

    /** {@link #setSamplingDecision(int, int, String, double)} for a caller that holds the lock. */
    private boolean recordDecision(int priority, int mechanism, String rateKey, double rate) {
        if (samplingPriority != UNSET || priority == UNSET) {
            return false;
        }
        SAMPLING_PRIORITY.setRelease(this, priority);
        decisionMaker = priority > 0 ? mechanism : -1;
        samplingRateKey = rateKey;
        samplingRate = rate;
        dropPropagationSnapshot();
        return true;
    }

    /** Manual keep or drop: wins over any sampler and over a priority already locked. */
    void setManualPriority(int priority) {
        lock();
        try {
            samplingPriority = priority;
            decisionMaker = priority > 0 ? MANUAL_MECHANISM : -1;
            dropPropagationSnapshot();
        } finally {
            unlock();
        }
    }

    // ---- baggage ------------------------------------------------------------------------------

    /** The trace's baggage items, in the order they were set; unmodifiable, never null. */
    public Map<String, String> baggage() {
        return baggage;
    }

    /**
     * Sets (or, for a null value, removes) a baggage item. A new key beyond {@code maxItems} items is
     * refused, so that baggage stays bounded whatever the application does; returns false then.
     */
    boolean setBaggageItem(String key, String value, int maxItems) {
        lock();
        try {
            Map<String, String> current = baggage;
            if (value == null ? !current.containsKey(key) : value.equals(current.get(key))) {
                return true;
            }
            if (value != null && !current.containsKey(key) && current.size() >= maxItems) {
                return false;
            }
            SmallMap next = new SmallMap(current.size() + 1);
            next.putAll(current);
            if (value == null) {
                next.remove(key);
            } else {
                next.put(key, value);
            }
            baggage = next.isEmpty() ? Map.of() : next.freeze();
            return true;
        } finally {
            unlock();
        }
    }

    // ---- trace-level tags ---------------------------------------------------------------------

    public String origin() {
        return origin;
    }

    public void putPropagationTag(String key, String value) {
        lock();
        try {
            if (propagationTags == null) {
                propagationTags = new LinkedHashMap<>(4);
                forEachRemoteTag(true, propagationTags::put);
            }
            propagationTags.put(key, value);
            dropPropagationSnapshot();
        } finally {
            unlock();
        }
    }

    /**
     * The {@code _dd.p.*} tags, including {@code _dd.p.tid} for 128-bit ids: an unmodifiable snapshot,
     * made again only after a change, since every injection reads it.
     */
    public Map<String, String> propagationTags() {
        Map<String, String> snapshot = propagationSnapshot;
        return snapshot != null ? snapshot : newPropagationSnapshot();
    }

    private Map<String, String> newPropagationSnapshot() {
        lock();
        try {
            Map<String, String> snapshot = propagationSnapshot;
            if (snapshot == null) {
                snapshot = copyPropagationTags().freeze();
                propagationSnapshot = snapshot;
            }
            return snapshot;
        } finally {
            unlock();
        }
    }

    private SmallMap copyPropagationTags() {
        SmallMap copy = new SmallMap(propagationTags != null ? propagationTags.size() + 2
                : remoteParent != null ? remoteParent.propagationTags().size() + 2 : 2);
        if (decisionMaker >= 0) {
            copy.put("_dd.p.dm", dmValue(decisionMaker));
        }
        forEachPropagationTag(copy::putIfAbsent);
        if (traceIdHigh != 0) {
            copy.put("_dd.p.tid", Ids.toHex16(traceIdHigh));
        }
        return copy;
    }

    public void putRootMeta(String key, String value) {
        lock();
        try {
            if (rootMeta == null) {
                rootMeta = new HashMap<>(4);
                forEachRemoteTag(false, rootMeta::put);
            }
            rootMeta.put(key, value);
        } finally {
            unlock();
        }
    }

    public void putRootMetric(String key, Number value) {
        lock();
        try {
            putRootMetricLocked(key, value);
        } finally {
            unlock();
        }
    }

    /** {@link #putRootMetric} for a caller that holds the lock (which is not reentrant). */
    private void putRootMetricLocked(String key, Number value) {
        if (rootMetrics == null) {
            rootMetrics = new HashMap<>(4);
        }
        rootMetrics.put(key, value);
    }

    private static String dmValue(int mechanism) {
        return mechanism < DM_VALUES.length ? DM_VALUES[mechanism] : "-" + mechanism;
    }

    void visitPropagationTags(TagVisitor visitor, Map<String, String> skip) {
        lock();
        try {
            if (decisionMaker >= 0 && !skip.containsKey("_dd.p.dm")) {
                visitor.meta("_dd.p.dm", dmValue(decisionMaker));
            }
            forEachPropagationTag((key, value) -> {
                if (!skip.containsKey(key) && !key.equals("_dd.p.tid")
                        && !(key.equals("_dd.p.dm") && decisionMaker >= 0)) {
                    visitor.meta(key, value);
                }
            });
            if (traceIdHigh != 0 && !skip.containsKey("_dd.p.tid")) {
                visitor.metaHex16("_dd.p.tid", traceIdHigh);
            }
        } finally {
            unlock();
        }
    }

    void visitRootMeta(TagVisitor visitor, Map<String, String> skip) {
        lock();
        try {
            forEachRootMeta((key, value) -> {
                if (!skip.containsKey(key)) {
                    visitor.meta(key, value);
                }
            });
        } finally {
            unlock();
        }
    }

    void visitRootMetrics(TagVisitor visitor, Map<String, Number> skip) {
        lock();
        try {
            if (samplingRateKey != null && !skip.containsKey(samplingRateKey)) {
                visitor.metric(samplingRateKey, samplingRate);
            }
            if (rootMetrics != null) {
                for (Map.Entry<String, Number> entry : rootMetrics.entrySet()) {
                    if (!skip.containsKey(entry.getKey())) {
                        visitor.metric(entry.getKey(), entry.getValue());
                    }
                }
            }
        } finally {
            unlock();
        }
    }
}
