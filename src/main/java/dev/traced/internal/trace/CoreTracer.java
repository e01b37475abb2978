package dev.traced.internal.trace;

import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.SpanBuilder;
import dev.traced.SpanCallable;
import dev.traced.SpanContext;
import dev.traced.SpanRunnable;
import dev.traced.TraceProcessor;
import dev.traced.internal.config.Config;
import dev.traced.internal.context.OpenTracers;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.correlation.LogCorrelation;
import dev.traced.internal.propagation.Propagation;
import dev.traced.internal.sampling.Sampling;
import dev.traced.internal.writer.TraceWriter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The tracer: where spans are started, made active, and handed to the writer when their trace is
 * complete. One per application.
 */
public final class CoreTracer implements CloseableTracer {

    private static final RateLimitedLog LOG = RateLimitedLog.of(CoreTracer.class);

    private final Config config;
    private final TraceSettings settings;
    private final TraceWriter writer;
    private final Sampling sampling;
    private final Propagation propagation;
    private final EpochClock clock = new EpochClock();
    private final ActiveSpans active;
    private final Duration shutdownTimeout;
    private final TraceProcessors processors;
    /** {@code dd.service.mapping}: service names renamed on every span. */
    private final Map<String, String> serviceMapping;
    private volatile GlobalTags globalTags;
    private volatile boolean closed;

    public CoreTracer(Config config, TraceWriter writer, Sampling sampling) {
        this(config, writer, sampling, List.of());
    }

    /** A tracer whose finished traces pass through these processors before the writer. */
    public CoreTracer(Config config, TraceWriter writer, Sampling sampling, List<TraceProcessor> processors) {
        this.config = config;
        this.processors = new TraceProcessors(processors);
        this.serviceMapping = config.getMap("dd.service.mapping");
        this.settings = TraceSettings.from(config);
        this.writer = writer;
        this.sampling = sampling;
        this.propagation = new Propagation(config);
        this.active = new ActiveSpans(LogCorrelation.setUp(config, settings));
        this.shutdownTimeout = config.getSeconds("dd.trace.shutdown.timeout", Duration.ofSeconds(5),
                Duration.ZERO, Duration.ofMinutes(5));
        GlobalTags tags = GlobalTags.EMPTY.with(config.getMap("dd.tags"));
        if (settings.env() != null) {
            tags = tags.with(Map.of("env", settings.env()));
        }
        this.globalTags = tags;
        OpenTracers.opened(this);
        LogCorrelation.opened(this, config);
    }

    public Config config() {
        return config;
    }

    public TraceSettings settings() {
        return settings;
    }

    public Sampling sampling() {
        return sampling;
    }

    public Propagation propagation() {
        return propagation;
    }

    public TraceWriter writer() {
        return writer;
    }

    /** The service name after {@code dd.service.mapping}. */
    String mapService(String service) {
        if (serviceMapping.isEmpty() || service == null) {
            return service;
        }
        return serviceMapping.getOrDefault(service, service);
    }

    // ---- starting spans -----------------------------------------------------------------------

    @Override
    public Span trace(String operationName) {
        return startSpan(operationName, null, null, null, null, false, true);
    }

    @Override
    public Span trace(String operationName, String resource) {
        return startSpan(operationName, null, resource, null, null, false, true);
    }

    @Override
    public SpanBuilder spanBuilder(String operationName) {
        return new CoreSpanBuilder(this, operationName);
    }

    /**
     * Starts a span. {@code parent} is a local span, a remote context, or null for the active span
     * (none when {@code noParent}). Never throws: on an internal failure the span is a no-op.
     */
    public CoreSpan startSpan(String operationName, String service, String resource, String spanType,
                              SpanContext parent, boolean noParent, boolean activate) {
        if (parent == null && !noParent && activate) {
            return startActiveSpan(operationName, service, resource, spanType);
        }
        return startSpan(System.nanoTime(), operationName, service, resource, spanType, parent, noParent, activate);
    }

    /**
     * {@link #startSpan} of the usual span: a child of this thread's active span (a new trace when
     * none), made active. Kept apart from the rare cases (an explicit or remote parent, another
     * tracer's active span, a span not made active): startSpan with all of them was too big for the JIT
     * to inline into the {@code @Traced} interceptor, and this is not.
     */
    public CoreSpan startActiveSpan(String operationName, String service, String resource, String spanType) {
        long nanoTime = System.nanoTime();
        ActiveSpans.Stack stack = active.stack();
        CoreSpan parent = active.current(stack);
        if (parent != null && parent.trace().tracer() != this) {
            return startSpan(nanoTime, operationName, service, resource, spanType, parent, false, true);
        }
        long epochNanos = clock.epochNanos(nanoTime);
        CoreSpan span;
        if (parent == null) {
            PendingTrace trace = new PendingTrace(this, Ids.newTraceIdHigh(epochNanos), Ids.newSpanId(), null);
            span = newSpan(trace, 0, null, operationName, service, resource, spanType, epochNanos, nanoTime);
            trace.rootStarted(span);
        } else {
            PendingTrace trace = parent.trace();
            span = newSpan(trace, parent.spanIdValue(), parent.serviceForChildren(), operationName, service,
                    resource, spanType, epochNanos, nanoTime);
            trace.spanStarted(span);
        }
        active.activate(stack, span);
        return span;
    }

    /** {@link #startSpan} of any other span: an explicit or remote parent, none, or not made active. */
    private CoreSpan startSpan(long nanoTime, String operationName, String service, String resource,
                               String spanType, SpanContext parent, boolean noParent, boolean activate) {
        ActiveSpans.Stack stack = activate ? active.stack() : null;
        if (parent == null && !noParent) {
            parent = stack != null ? active.current(stack) : active.current();
        }
        PendingTrace trace;
        long parentId;
        String parentService;
        boolean newTrace = true;
        if (parent instanceof CoreSpan local && local.trace().tracer() == this) {
            newTrace = false;
            trace = local.trace();
            parentId = local.spanIdValue();
            parentService = local.serviceForChildren();
        } else {
            RemoteContext remote = parent == null ? null : toRemote(parent);
            if (remote == null) {
                trace = null; // created below, once the start time is known
                parentId = 0;
            } else {
                trace = new PendingTrace(this, remote.traceIdHigh(), remote.traceIdLow(), remote);
                parentId = remote.parentSpanId();
            }
            parentService = null;
        }
        long epochNanos = clock.epochNanos(nanoTime);
        if (newTrace && parentId == 0) {
            trace = new PendingTrace(this, Ids.newTraceIdHigh(epochNanos), Ids.newSpanId(), null);
        }
        CoreSpan span = newSpan(trace, parentId, parentService, operationName, service, resource, spanType,
                epochNanos, nanoTime);
        if (newTrace) {
            trace.rootStarted(span);
            RemoteContext remote = trace.remoteParent();
            if (remote != null && !remote.spanLinks().isEmpty()) {
                for (SpanLinkData link : remote.spanLinks()) {
                    span.addLinkData(link);
                }
            }
        } else {
            trace.spanStarted(span);
        }
        if (stack != null) {
            active.activate(stack, span);
        }
        return span;
    }

    /** The span, its names defaulted: no operation name, no service, an empty resource or type. */
    private CoreSpan newSpan(PendingTrace trace, long parentId, String parentService, String operationName,
                             String service, String resource, String spanType, long epochNanos, long nanoTime) {
        return new CoreSpan(trace, Ids.newSpanId(), parentId, parentService,
                mapService(service == null || service.isEmpty() ? settings.service() : service),
                operationName == null || operationName.isEmpty() ? "unnamed_operation" : operationName,
                resource == null || resource.isEmpty() ? null : resource,
                spanType == null || spanType.isEmpty() ? null : spanType,
                epochNanos, nanoTime, globalTags, Thread.currentThread());
    }

    /** A remote parent from any SpanContext: ours, or another implementation's hex ids. */
    private static RemoteContext toRemote(SpanContext parent) {
        if (parent instanceof RemoteContext remote) {
            return remote;
        }
        if (parent instanceof CoreSpan other) {
            // A span of another tracer instance: continue its trace as a remote parent.
            return new RemoteContext(other.traceIdHigh(), other.traceIdLow(), other.spanIdValue(),
                    PendingTrace.UNSET, null, other.trace().propagationTags(), null, other.trace().baggage(), null,
                    other.trace().isTraceIdRandom());
        }
        try {
            String traceId = parent.traceId();
            String spanId = parent.spanId();
            if (traceId == null || spanId == null || traceId.length() != 32) {
                return null;
            }
            long high = Ids.parseHex64(traceId, 0, 16);
            long low = Ids.parseHex64(traceId, 16, 32);
            long id = Ids.parseHex64(spanId, 0, spanId.length());
            if (low == 0 || id == 0) {
                return null;
            }
            return new RemoteContext(high, low, id, PendingTrace.UNSET, null, null, null, parent.baggage(), null);
        } catch (RuntimeException e) {
            LOG.debug("bad-parent", "ignoring a parent context with malformed ids: %s", e);
            return null;
        }
    }

    // ---- finishing ----------------------------------------------------------------------------

    void spanFinished(CoreSpan span, long endNanoTime) {
        try {
            if (span.trace().spanFinished(span, endNanoTime)) {
                active.finished(span);
            }
        } catch (RuntimeException e) {
            LOG.warn("finish-failed", e, "a span could not be recorded; its trace may be incomplete");
        }
    }

    void write(PendingTrace trace, List<CoreSpan> chunk) {
        if (closed) {
            LOG.warn("write-after-close", "a trace finished after the tracer was closed; it is dropped");
            return;
        }
        List<CoreSpan> processed = processors.apply(chunk);
        if (processed.isEmpty()) {
            return;
        }
        try {
            writer.write(processed);
        } catch (RuntimeException e) {
            LOG.warn("writer-failed", e, "the trace writer failed; a trace was dropped");
        }
    }

    // ---- bodies -------------------------------------------------------------------------------

    @Override
    public <T, E extends Throwable> T call(String operationName, SpanCallable<T, E> body) throws E {
        Span span = trace(operationName);
        try {
            return body.call(span);
        } catch (Throwable t) {
            span.setError(t);
            throw t;
        } finally {
            span.finish();
        }
    }

    @Override
    public <E extends Throwable> void run(String operationName, SpanRunnable<E> body) throws E {
        Span span = trace(operationName);
        try {
            body.run(span);
        } catch (Throwable t) {
            span.setError(t);
            throw t;
        } finally {
            span.finish();
        }
    }

    // ---- the active span ----------------------------------------------------------------------

    @Override
    public Span currentSpan() {
        CoreSpan current = active.current();
        return current == null ? NoopSpan.INSTANCE : current;
    }

    @Override
    public Span currentRootSpan() {
        CoreSpan current = active.current();
        return current == null ? NoopSpan.INSTANCE : current.trace().localRoot();
    }

    /** The active span of this thread, or null when none: {@link #currentSpan()} for the library itself. */
    public CoreSpan activeSpan() {
        return active.current();
    }

    /** Makes a span active on this thread without starting it (for work continued on another thread). */
    public void activate(CoreSpan span) {
        active.activate(span);
    }

    /** Makes a span inactive on this thread without finishing it. */
    public void deactivate(CoreSpan span) {
        active.deactivate(span);
    }

    /**
     * Makes {@code span} the only active span of this thread (none when null) until
     * {@link #exitContext} is called with the returned token; the thread's own active spans come back
     * then. For context propagation into managed executors.
     */
    public Object enterContext(CoreSpan span) {
        return active.enter(span);
    }

    /** Ends what {@link #enterContext} began, on the same thread. */
    public void exitContext(Object token) {
        active.exit(token);
    }

    @Override
    public Runnable wrap(Runnable task) {
        CoreSpan captured = active.current();
        if (captured == null || task == null) {
            return task;
        }
        return () -> {
            Object token = active.enter(captured);
            try {
                task.run();
            } finally {
                active.exit(token);
            }
        };
    }

    @Override
    public <T> Callable<T> wrap(Callable<T> task) {
        CoreSpan captured = active.current();
        if (captured == null || task == null) {
            return task;
        }
        return () -> {
            Object token = active.enter(captured);
            try {
                return task.call();
            } finally {
                active.exit(token);
            }
        };
    }

    @Override
    public Executor wrap(Executor executor) {
        return task -> executor.execute(wrap(task));
    }

    // ---- tags, propagation, lifecycle ---------------------------------------------------------

    @Override
    public synchronized void setTags(Map<String, ?> tags) {
        if (tags != null && !tags.isEmpty()) {
            globalTags = globalTags.with(tags);
        }
    }

    @Override
    public void inject(SpanContext context, BiConsumer<String, String> headers) {
        if (context == null || context == NoopSpan.INSTANCE || headers == null) {
            return;
        }
        try {
            if (context instanceof CoreSpan span) {
                sampling.decide(span.trace());
            }
            propagation.inject(context, headers);
        } catch (RuntimeException e) {
            LOG.warn("inject-failed", e, "could not inject trace headers");
        }
    }

    @Override
    public SpanContext extract(Function<String, String> headers) {
        if (headers == null) {
            return null;
        }
        try {
            return propagation.extract(headers);
        } catch (RuntimeException e) {
            LOG.warn("extract-failed", e, "could not extract trace headers; starting a new trace");
            return null;
        }
    }

    @Override
    public boolean flush(Duration timeout) {
        try {
            return writer.flush(timeout == null ? Duration.ofSeconds(1) : timeout);
        } catch (RuntimeException e) {
            LOG.warn("flush-failed", e, "flush failed");
            return false;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OpenTracers.closed(this);
        LogCorrelation.closed(this);
        ApplicationTracer.unregister(this);
        try {
            writer.close(shutdownTimeout);
        } catch (RuntimeException e) {
            LOG.warn("close-failed", e, "closing the trace writer failed");
        }
        // Last: threads still finishing a request go on with what they hold.
        active.close();
        propagation.close();
    }
}
