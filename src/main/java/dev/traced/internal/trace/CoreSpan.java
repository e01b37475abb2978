package dev.traced.internal.trace;

import dev.traced.FinishedSpan;
import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.internal.log.RateLimitedLog;


import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one span implementation. While open it is mutable (tags, names, error); once finished it is
 * frozen and serves as its own {@link FinishedSpan}, so finishing allocates no copy.
 *
 * <p>Mutators are safe to call from any thread; they never throw. The tags the tracer adds (env,
 * version, thread, process and sampling tags) are not stored per span: {@link #visitMeta} and
 * {@link #visitMetrics} produce them when the span is written. Links and events live in a holder
 * made on the first one ({@link LinksAndEvents}), so a span without them carries a null reference.
 */
public final class CoreSpan implements Span, SpanContext, FinishedSpan {

    private static final VarHandle FINISHED;
    /*
     * Plain stores of the volatile names in the constructor: a volatile store costs a full fence on
     * x86, and none is needed before the span is published to another thread (through the thread's
     * stack of active spans, the trace's lock or the writer's queue, which all order these stores).
     */
    private static final VarHandle SERVICE;
    private static final VarHandle OPERATION_NAME;
    private static final VarHandle RESOURCE;
    private static final RateLimitedLog LOG = RateLimitedLog.of(CoreSpan.class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FINISHED = lookup.findVarHandle(CoreSpan.class, "finished", byte.class);
            SERVICE = lookup.findVarHandle(CoreSpan.class, "service", String.class);
            OPERATION_NAME = lookup.findVarHandle(CoreSpan.class, "operationName", String.class);
            RESOURCE = lookup.findVarHandle(CoreSpan.class, "resource", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }


    /** Longer stack traces are cut: the Agent truncates meta values at 25,000 bytes anyway. */
    static final int MAX_STACK_CHARS = 24_000;

    private final PendingTrace trace;
    private final long spanId;
    private final long parentId;
    /** Service of the local parent, null when the parent is remote or absent: for {@code _dd.top_level}. */
    private final String parentService;
    private final long startEpochNanos;
    private final long startNanoTime;
    private final GlobalTags globalTags;
    private final String threadName;
    private final long threadId;

    /** The names are volatile so that sampling reads them without the span's lock; written under the lock. */
    private volatile String service;
    private volatile String operationName;
    private volatile String resource;
    private String spanType;
    private boolean error;
    private boolean measured;
    private TagMap<String> meta;
    private TagMap<Number> metrics;
    /**
     * Links and events; null until the first one, so a span without them costs one reference. Written
     * under the lock; volatile so that the encoder checks for none without the lock.
     */
    private volatile LinksAndEvents linksAndEvents;

    /**
     * A byte, not an int: with the two booleans it fits where one int did, so the links-and-events
     * reference costs a span nothing (a 112-byte object either way, with compressed references).
     */
    private volatile byte finished;
    private long durationNanos;
    /** The decimal span id for log correlation, made on first use (a benign race: strings are immutable). */
    private String correlationSpanId;

    CoreSpan(PendingTrace trace, long spanId, long parentId, String parentService, String service,
             String operationName, String resource, String spanType, long startEpochNanos, long startNanoTime,
             GlobalTags globalTags, Thread thread) {
        this.trace = trace;
        this.spanId = spanId;
        this.parentId = parentId;
        this.parentService = parentService;
        SERVICE.set(this, service);
        OPERATION_NAME.set(this, operationName);
        RESOURCE.set(this, resource);
        this.spanType = spanType;
        this.startEpochNanos = startEpochNanos;
        this.startNanoTime = startNanoTime;
        this.globalTags = globalTags;
        this.threadName = thread.getName();
        this.threadId = thread.getId();
    }

    // ---- Span: mutation -------------------------------------------------------------------

    @Override
    public Span setTag(String key, String value) {
        if (key == null || isFinished()) {
            return this;
        }
        if (value != null && applySpecialTag(key, value)) {
            return this;
        }
        storeMeta(key, value);
        return this;
    }

    /** Stores a string tag (null removes it), replacing a numeric tag of the same key. */
    synchronized void storeMeta(String key, String value) {
        if (metrics != null) {
            metrics.remove(key);
        }
        if (value == null) {
            if (meta != null) {
                meta.remove(key);
            }
        } else {
            if (meta == null) {
                meta = new TagMap<>(8);
            }
            meta.put(key, value);
        }
    }

    @Override
    public Span setTag(String key, Number value) {
        if (key == null || isFinished()) {
            return this;
        }
        if (value != null && applySpecialTag(key, value)) {
            return this;
        }
        storeMetric(key, value);
        return this;
    }

    /** Stores a numeric tag (null removes it), replacing a string tag of the same key. */
    synchronized void storeMetric(String key, Number value) {
        if (meta != null) {
            meta.remove(key);
        }
        if (value == null) {
            if (metrics != null) {
                metrics.remove(key);
            }
        } else {
            if (metrics == null) {
                metrics = new TagMap<>(4);
            }
            metrics.put(key, value);
        }
    }

    @Override
    public Span setTag(String key, boolean value) {
        return setTag(key, value ? "true" : "false");
    }

    /**
     * Tags that dd-trace-java treats as settings rather than tags. Returns true when the tag was
     * consumed.
     */
    private boolean applySpecialTag(String key, Object value) {
        switch (key) {
            case "resource.name":
                setResource(value.toString());
                return true;
            case "service.name":
            case "service":
                setService(value.toString());
                return true;
            case "span.type":
                setSpanType(value.toString());
                return true;
            case "error":
                setError(isTrue(value));
                return true;
            case "_dd.measured":
                synchronized (this) {
                    measured = isTrue(value);
                }
                return true;
            case "manual.keep":
                if (isTrue(value)) {
                    trace.setManualPriority(PendingTrace.USER_KEEP);
                }
                return true;
            case "manual.drop":
                if (isTrue(value)) {
                    trace.setManualPriority(PendingTrace.USER_DROP);
                }
                return true;
            case "sampling.priority":
                if (value instanceof Number number) {
                    trace.setManualPriority(number.intValue() > 0 ? PendingTrace.USER_KEEP : PendingTrace.USER_DROP);
                    return true;
                }
                return false;
            case "http.status_code":
                if (value instanceof Number number) {
                    setTag(key, Integer.toString(number.intValue()));
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    private static boolean isTrue(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue() != 0;
        }
        String text = value.toString();
        return text.equalsIgnoreCase("true") || text.equals("1");
    }

    @Override
    public Span setError(boolean error) {
        if (!isFinished()) {
            synchronized (this) {
                this.error = error;
            }
        }
        return this;
    }

    @Override
    public Span setError(Throwable throwable) {
        if (throwable == null || isFinished()) {
            return this;
        }
        String message;
        String stack;
        try {
            message = throwable.getMessage();
            stack = stackTrace(throwable);
        } catch (RuntimeException | LinkageError e) {
            // A user exception whose getMessage() or printStackTrace() itself fails.
            message = null;
            stack = null;
        }
        synchronized (this) {
            error = true;
            if (meta == null) {
                meta = new TagMap<>(8);
            }
            meta.put("error.type", throwable.getClass().getName());
            if (message != null) {
                meta.put("error.message", message);
            } else {
                meta.remove("error.message");
            }
            if (stack != null) {
                meta.put("error.stack", stack);
            }
        }
        return this;
    }

    private static String stackTrace(Throwable throwable) {
        StringWriter out = new StringWriter(1024);
        throwable.printStackTrace(new PrintWriter(out));
        String text = out.toString();
        return text.length() > MAX_STACK_CHARS ? text.substring(0, MAX_STACK_CHARS) : text;
    }

    @Override
    public Span setResource(String resource) {
        if (resource != null && !isFinished()) {
            synchronized (this) {
                this.resource = resource;
            }
        }
        return this;
    }

    @Override
    public Span setService(String service) {
        if (service != null && !service.isEmpty() && !isFinished()) {
            String mapped = trace.tracer().mapService(service);
            synchronized (this) {
                this.service = mapped;
            }
        }
        return this;
    }

    @Override
    public Span setOperationName(String name) {
        if (name != null && !name.isEmpty() && !isFinished()) {
            synchronized (this) {
                this.operationName = name;
            }
        }
        return this;
    }

    @Override
    public Span setSpanType(String type) {
        if (!isFinished()) {
            synchronized (this) {
                this.spanType = type == null || type.isEmpty() ? null : type;
            }
        }
        return this;
    }

    // ---- span links and span events ------------------------------------------------------------

    @Override
    public Span addLink(SpanContext context, Map<String, String> attributes) {
        if (context == null || isFinished()) {
            return this;
        }
        SpanLinkData link;
        try {
            link = LinksAndEvents.linkTo(context, attributes);
        } catch (RuntimeException e) {
            // Another SpanContext implementation whose ids fail or are not hex.
            link = null;
        }
        if (link == null) {
            LOG.debug("link-context", "a span link to a context without valid ids was ignored");
            return this;
        }
        addLinkData(link);
        return this;
    }

    /** A link the tracer makes (such as {@code terminated_context}), or one from the builder. */
    synchronized void addLinkData(SpanLinkData link) {
        if (!isFinished()) {
            linksAndEventsForWrite().addLink(link);
        }
    }

    @Override
    public Span addEvent(String name, Map<String, ?> attributes) {
        return addEvent(name, attributes, null);
    }

    @Override
    public Span addEvent(String name, Map<String, ?> attributes, Instant timestamp) {
        if (name == null || name.isEmpty() || isFinished()) {
            return this;
        }
        long epochNanos;
        Map<String, Object> converted;
        try {
            // Now, on the span's own clock: the start's wall time plus the monotonic time since.
            epochNanos = timestamp == null ? startEpochNanos + (System.nanoTime() - startNanoTime)
                    : Math.addExact(Math.multiplyExact(timestamp.getEpochSecond(), 1_000_000_000L), timestamp.getNano());
            converted = EventAttributes.ofEvent(attributes);
        } catch (RuntimeException e) {
            // A timestamp out of the nanosecond range, or a map that fails while it is read.
            LOG.debug("event-rejected", "a span event was ignored: %s", e);
            return this;
        }
        SpanEventData event = new SpanEventData(EventAttributes.cut(name), epochNanos, converted);
        synchronized (this) {
            if (!isFinished()) {
                linksAndEventsForWrite().addEvent(event);
            }
        }
        return this;
    }

    private LinksAndEvents linksAndEventsForWrite() {
        LinksAndEvents current = linksAndEvents;
        if (current == null) {
            current = new LinksAndEvents();
            linksAndEvents = current;
        }
        return current;
    }

    /** True when the span has links: a read without the lock, for the encoder's fast path. */
    public boolean hasLinks() {
        LinksAndEvents current = linksAndEvents;
        if (current == null) {
            return false;
        }
        synchronized (this) {
            return current.hasLinks();
        }
    }

    public boolean hasEvents() {
        LinksAndEvents current = linksAndEvents;
        if (current == null) {
            return false;
        }
        synchronized (this) {
            return current.hasEvents();
        }
    }

    @Override
    public List<SpanLinkData> links() {
        LinksAndEvents current = linksAndEvents;
        if (current == null) {
            return List.of();
        }
        synchronized (this) {
            return current.links();
        }
    }

    @Override
    public List<SpanEventData> events() {
        LinksAndEvents current = linksAndEvents;
        if (current == null) {
            return List.of();
        }
        synchronized (this) {
            return current.events();
        }
    }

    // ---- changes by trace processors: finished, but not yet handed to the writer ----------------

    synchronized void processorSetNames(String service, String operationName, String resource, String spanType) {
        if (service != null && !service.isEmpty()) {
            this.service = trace.tracer().mapService(service);
        }
        if (operationName != null && !operationName.isEmpty()) {
            this.operationName = operationName;
        }
        if (resource != null) {
            this.resource = resource;
        }
        if (spanType != null) {
            this.spanType = spanType.isEmpty() ? null : spanType;
        }
    }

    synchronized void processorSetError(boolean error) {
        this.error = error;
    }

    void setMeasured(boolean measured) {
        synchronized (this) {
            this.measured = measured;
        }
    }

    @Override
    public SpanContext context() {
        return this;
    }

    @Override
    public void finish() {
        long end = System.nanoTime();
        if (isFinished()) {
            return;
        }
        trace.tracer().spanFinished(this, end);
    }

    /**
     * Marks the span finished at {@code endNanoTime}, once: false when it already was. Called only
     * under its trace's lock, which every finish of the span takes, so no compare-and-set is needed
     * and a release store publishes the flag to the lock-free readers of {@link #isFinished}; the
     * duration reaches the writer's thread through that lock and the writer's queue.
     */
    boolean markFinished(long endNanoTime) {
        if (finished != 0) {
            return false;
        }
        durationNanos = Math.max(0, endNanoTime - startNanoTime);
        FINISHED.setRelease(this, (byte) 1);
        return true;
    }

    @Override
    public void close() {
        finish();
    }

    // ---- W3C baggage (kept by the trace: every span of it shares the items) -----------------

    @Override
    public Span setBaggageItem(String key, String value) {
        if (key == null || key.isEmpty() || isFinished()) {
            return this;
        }
        if (!trace.setBaggageItem(key, value, trace.tracer().propagation().baggageMaxItems())) {
            LOG.debug("baggage-items", "baggage item '%s' not set: the trace already has the most items "
                    + "dd.trace.baggage.max.items allows", key);
        }
        return this;
    }

    @Override
    public String getBaggageItem(String key) {
        return key == null ? null : trace.baggage().get(key);
    }

    @Override
    public Map<String, String> baggage() {
        return trace.baggage();
    }

    public boolean isFinished() {
        return finished != 0;
    }

    @Override
    public boolean isRecording() {
        return !isFinished();
    }

    // ---- ids and trace ------------------------------------------------------------------------

    public PendingTrace trace() {
        return trace;
    }

    public long traceIdHigh() {
        return trace.traceIdHigh();
    }

    public long traceIdLow() {
        return trace.traceIdLow();
    }

    public long spanIdValue() {
        return spanId;
    }

    /** The span id in decimal, as dd-trace-java writes {@code dd.span_id} in logs; cached. */
    public String correlationSpanId() {
        String text = correlationSpanId;
        if (text == null) {
            text = Long.toUnsignedString(spanId);
            correlationSpanId = text;
        }
        return text;
    }

    public long parentIdValue() {
        return parentId;
    }

    @Override
    public String traceId() {
        return Ids.toHex32(trace.traceIdHigh(), trace.traceIdLow());
    }

    @Override
    public String spanId() {
        return Ids.toHex16(spanId);
    }

    @Override
    public String parentId() {
        return Ids.toHex16(parentId);
    }

    public boolean isLocalRoot() {
        return trace.localRoot() == this;
    }

    /** True when the span carries {@code _dd.measured=1}: the Agent computes stats for it even when not top-level. */
    public synchronized boolean isMeasured() {
        return measured;
    }

    /** True when the parent is remote or absent or of another service: Datadog's {@code _dd.top_level}. */
    public synchronized boolean isTopLevel() {
        return parentService == null || !parentService.equals(service);
    }

    /**
     * The value of one tag as sampling rules see it: the span's own string or numeric tag, else a
     * global tag; null when absent. Cheaper than {@link #meta()}, which builds every tag.
     */
    public synchronized String tagValue(String key) {
        String value = meta == null ? null : meta.get(key);
        if (value != null) {
            return value;
        }
        Number number = metrics == null ? null : metrics.get(key);
        if (number != null) {
            return number.toString();
        }
        value = globalTags.meta().get(key);
        if (value != null) {
            return value;
        }
        number = globalTags.metrics().get(key);
        return number == null ? null : number.toString();
    }

    String serviceForChildren() {
        return service;
    }

    // ---- FinishedSpan -------------------------------------------------------------------------

    @Override
    public String service() {
        return service;
    }

    @Override
    public String operationName() {
        return operationName;
    }

    @Override
    public String resource() {
        String value = resource;
        return value == null ? operationName : value;
    }

    @Override
    public String spanType() {
        if (isFinished()) {
            return spanType;
        }
        synchronized (this) {
            return spanType;
        }
    }

    @Override
    public long startEpochNanos() {
        return startEpochNanos;
    }

    @Override
    public long durationNanos() {
        return durationNanos;
    }

    @Override
    public boolean isError() {
        if (isFinished()) {
            return error;
        }
        synchronized (this) {
            return error;
        }
    }

    public String threadName() {
        return threadName;
    }

    public long threadId() {
        return threadId;
    }

    @Override
    public Map<String, String> meta() {
        Map<String, String> out = new LinkedHashMap<>();
        visitMeta(new TagVisitor() {
            @Override
            public void meta(String key, String value) {
                out.put(key, value);
            }

            @Override
            public void metric(String key, Number value) {
            }
        }, true);
        return Collections.unmodifiableMap(out);
    }

    @Override
    public Map<String, Number> metrics() {
        Map<String, Number> out = new LinkedHashMap<>();
        visitMetrics(new TagVisitor() {
            @Override
            public void meta(String key, String value) {
            }

            @Override
            public void metric(String key, Number value) {
                out.put(key, value);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * Visits every string tag this span is written with, each key once: global tags, the tags the
     * tracer adds, then the span's own tags (which win). {@code withTraceTags} adds the trace-level
     * tags ({@code _dd.p.*}, {@code _dd.origin}), which Datadog writes on the first span of a chunk.
     */
    public synchronized void visitMeta(TagVisitor visitor, boolean withTraceTags) {
        Map<String, String> own = meta == null ? Map.of() : meta;
        TraceSettings settings = trace.tracer().settings();
        for (int i = 0, n = globalTags.metaCount(); i < n; i++) {
            String key = globalTags.metaKey(i);
            if (!own.containsKey(key) && (metrics == null || !metrics.containsKey(key))) {
                visitor.meta(key, globalTags.metaValue(i));
            }
        }
        boolean mainService = settings.service().equalsIgnoreCase(service);
        if (mainService) {
            if (settings.version() != null && !own.containsKey("version") && !globalTags.meta().containsKey("version")) {
                visitor.meta("version", settings.version());
            }
        } else if (!own.containsKey("_dd.base_service")) {
            visitor.meta("_dd.base_service", settings.service());
        }
        if (!own.containsKey("thread.name")) {
            visitor.meta("thread.name", threadName);
        }
        if (isLocalRoot()) {
            if (!own.containsKey("language")) {
                visitor.meta("language", "jvm");
            }
            if (!own.containsKey("runtime-id")) {
                visitor.meta("runtime-id", settings.runtimeId());
            }
            trace.visitRootMeta(visitor, own);
        }
        String origin = trace.origin();
        if (origin != null && !own.containsKey("_dd.origin")) {
            visitor.meta("_dd.origin", origin);
        }
        if (withTraceTags) {
            trace.visitPropagationTags(visitor, own);
        }
        if (meta != null) {
            for (int i = 0, n = meta.size(); i < n; i++) {
                visitor.meta(meta.keyAt(i), meta.valueAt(i));
            }
        }
    }

    /**
     * Visits only the tags set on this span itself (by the application, an interceptor or a filter),
     * string tags then numeric ones, in the order they were set: not the global tags nor those the
     * tracer adds. For the console writer, which lists them first.
     */
    public synchronized void visitOwnTags(TagVisitor visitor) {
        if (meta != null) {
            for (int i = 0, n = meta.size(); i < n; i++) {
                visitor.meta(meta.keyAt(i), meta.valueAt(i));
            }
        }
        if (metrics != null) {
            for (int i = 0, n = metrics.size(); i < n; i++) {
                visitor.metric(metrics.keyAt(i), metrics.valueAt(i));
            }
        }
    }

    /** Visits every numeric tag this span is written with, each key once. */
    public synchronized void visitMetrics(TagVisitor visitor) {
        Map<String, Number> own = metrics == null ? Map.of() : metrics;
        for (int i = 0, n = globalTags.metricCount(); i < n; i++) {
            String key = globalTags.metricKey(i);
            if (!own.containsKey(key) && (meta == null || !meta.containsKey(key))) {
                visitor.metric(key, globalTags.metricValue(i));
            }
        }
        if (!own.containsKey("thread.id")) {
            visitor.metric("thread.id", threadId);
        }
        boolean topLevel = parentService == null || !parentService.equals(service);
        if (topLevel) {
            visitor.metric("_dd.top_level", 1);
        }
        if (measured) {
            visitor.metric("_dd.measured", 1);
        }
        boolean localRoot = isLocalRoot();
        if (localRoot || topLevel) {
            int priority = trace.samplingPriority();
            if (priority != PendingTrace.UNSET) {
                visitor.metric("_sampling_priority_v1", priority);
            }
        }
        if (localRoot) {
            if (!own.containsKey("process_id")) {
                visitor.metric("process_id", trace.tracer().settings().processId());
            }
            trace.visitRootMetrics(visitor, own);
        }
        if (metrics != null) {
            for (int i = 0, n = metrics.size(); i < n; i++) {
                visitor.metric(metrics.keyAt(i), metrics.valueAt(i));
            }
        }
    }

    @Override
    public String toString() {
        return "Span[" + operationName + " " + spanId() + "]";
    }
}
