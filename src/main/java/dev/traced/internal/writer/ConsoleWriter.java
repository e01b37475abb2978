package dev.traced.internal.writer;

import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.Ids;
import dev.traced.internal.trace.TagVisitor;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code dd.trace.writer=console}: prints each finished trace to {@code System.out} as a tree, for
 * people developing locally. One tree per trace: chunks of the same trace (a local client call and
 * the server span it led to) are held briefly ({@link HeldTraces}) and printed together, each span
 * under its parent. Each span shows its operation, service, resource, duration and error, then the
 * tags set on it, then the global ones; the tracer's own bookkeeping ({@code _dd.*}, sampling,
 * runtime, process and thread) only with {@code dd.trace.console.verbose=true}. The header gives the
 * trace id in hex and as the decimal {@code x-datadog-trace-id} carries (its low 64 bits).
 *
 * <p>Printing happens on the writer's thread, never on the application thread; the hand-over is the
 * same bounded, non-blocking queue as the Agent writer's.
 */
public final class ConsoleWriter implements TraceWriter {

    /** Stack trace lines printed under an error span. */
    private static final int STACK_LINES = 5;
    /** A trace is printed once no chunk of it arrived for this long (or at a flush). */
    static final Duration LINGER = Duration.ofMillis(200);
    /** ... or once it has been held this long, whatever still arrives. */
    static final Duration MAX_HOLD = Duration.ofSeconds(5);

    /** Tags the tracer adds for its own and the Agent's bookkeeping, beside every {@code _}-prefixed key. */
    private static final Set<String> INTERNAL_TAGS = Set.of("runtime-id", "process_id", "language",
            "thread.name", "thread.id");

    private final TraceQueue queue;
    private final HeldTraces<List<CoreSpan>> held;
    private final boolean verbose;
    private final DropCounter drops = new DropCounter();
    private final FlushWorker worker;
    private volatile boolean closed;

    public ConsoleWriter(ScheduledExecutorService scheduler, int queueSize, Duration flushInterval, boolean verbose) {
        this.queue = new TraceQueue(queueSize);
        // As many spans held as a full queue of small traces: memory stays of the order the queue allows.
        this.held = new HeldTraces<>(Math.max(queueSize, 1000), LINGER.toNanos(), MAX_HOLD.toNanos());
        this.verbose = verbose;
        this.worker = new FlushWorker(scheduler, flushInterval, this::printReady);
    }

    @Override
    public void write(List<CoreSpan> chunk) {
        if (chunk == null || chunk.isEmpty()) {
            return;
        }
        if (closed || !queue.offer(chunk)) {
            drops.record(closed ? DropCounter.Reason.CLOSED : DropCounter.Reason.QUEUE_FULL, 1, chunk.size());
            return;
        }
        worker.wake();
    }

    @Override
    public boolean flush(Duration timeout) {
        return worker.flush(timeout);
    }

    @Override
    public void close(Duration timeout) {
        if (!closed) {
            closed = true;
            worker.close(timeout);
        }
    }

    public DropCounter drops() {
        return drops;
    }

    /** The writer's job: take what is queued, print the traces that are ready (all of them on a flush). */
    private void printReady(boolean all) {
        long now = System.nanoTime();
        List<CoreSpan> chunk;
        while ((chunk = queue.poll()) != null) {
            CoreSpan first = chunk.get(0);
            held.add(new TraceKey(first.traceIdHigh(), first.traceIdLow()), chunk, chunk.size(), now);
        }
        List<List<List<CoreSpan>>> ready = held.takeReady(now, all);
        if (ready.isEmpty()) {
            return;
        }
        PrintStream out = System.out;
        for (List<List<CoreSpan>> trace : ready) {
            List<CoreSpan> spans = new ArrayList<>();
            trace.forEach(spans::addAll);
            out.print(format(spans, verbose));
        }
        out.flush();
        drops.logIfDue(System.nanoTime());
    }

    private record TraceKey(long high, long low) {
    }

    /**
     * The tree of one trace: children under their parent, in start order; spans whose parent is not
     * in the trace (the local root, or a span continued from a remote caller) at the top.
     */
    static String format(List<CoreSpan> spans, boolean verbose) {
        Map<Long, CoreSpan> byId = new HashMap<>();
        for (CoreSpan span : spans) {
            byId.put(span.spanIdValue(), span);
        }
        Map<Long, List<CoreSpan>> children = new HashMap<>();
        List<CoreSpan> roots = new ArrayList<>();
        for (CoreSpan span : spans) {
            if (byId.containsKey(span.parentIdValue()) && span.parentIdValue() != span.spanIdValue()) {
                children.computeIfAbsent(span.parentIdValue(), id -> new ArrayList<>()).add(span);
            } else {
                roots.add(span);
            }
        }
        Comparator<CoreSpan> byStart = Comparator.comparingLong(CoreSpan::startEpochNanos);
        roots.sort(byStart);
        children.values().forEach(list -> list.sort(byStart));
        CoreSpan first = roots.get(0);
        StringBuilder text = new StringBuilder(256 * spans.size());
        text.append("[traced] trace ").append(Ids.toHex32(first.traceIdHigh(), first.traceIdLow()))
                .append(" (x-datadog-trace-id ").append(Long.toUnsignedString(first.traceIdLow())).append("), ")
                .append(spans.size()).append(spans.size() == 1 ? " span\n" : " spans\n");
        Set<Long> printed = new HashSet<>();
        for (CoreSpan root : roots) {
            append(text, root, children, 1, verbose, printed);
        }
        return text.toString();
    }

    private static void append(StringBuilder text, CoreSpan span, Map<Long, List<CoreSpan>> children, int depth,
                               boolean verbose, Set<Long> printed) {
        if (!printed.add(span.spanIdValue())) {
            return; // a span listed twice (or a cycle of bad ids) is printed once
        }
        String indent = "  ".repeat(depth);
        text.append(indent).append(span.operationName())
                .append("  service=").append(span.service())
                .append("  resource=").append(span.resource())
                .append("  duration=").append(String.format(Locale.ROOT, "%.3f ms", span.durationNanos() / 1e6));
        if (span.spanType() != null) {
            text.append("  type=").append(span.spanType());
        }
        if (span.isError()) {
            text.append("  ERROR");
        }
        text.append('\n');
        String tags = tags(span, verbose);
        if (!tags.isEmpty()) {
            text.append(indent).append("    ").append(tags).append('\n');
        }
        String stack = span.meta().get("error.stack");
        if (stack != null) {
            String[] lines = stack.split("\n");
            int shown = Math.min(lines.length, STACK_LINES);
            for (int i = 0; i < shown; i++) {
                text.append(indent).append("    | ").append(lines[i].stripTrailing()).append('\n');
            }
            if (lines.length > shown) {
                text.append(indent).append("    | ... ").append(lines.length - shown).append(" more lines\n");
            }
        }
        for (CoreSpan child : children.getOrDefault(span.spanIdValue(), List.of())) {
            append(text, child, children, depth + 1, verbose, printed);
        }
    }

    /** The span's own tags first (strings then numbers, each in the order set), then the rest it is sent with. */
    static String tags(CoreSpan span, boolean verbose) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        TagVisitor collect = new TagVisitor() {
            @Override
            public void meta(String key, String value) {
                ordered.putIfAbsent(key, value);
            }

            @Override
            public void metric(String key, Number value) {
                ordered.putIfAbsent(key, value);
            }
        };
        span.visitOwnTags(collect);
        span.meta().forEach(collect::meta);
        span.metrics().forEach(collect::metric);
        StringBuilder out = new StringBuilder();
        ordered.forEach((key, value) -> {
            if (!key.equals("error.stack") && (verbose || !isInternal(key))) {
                out.append(out.length() == 0 ? "" : ", ").append(key).append('=').append(value);
            }
        });
        return out.toString();
    }

    static boolean isInternal(String key) {
        return key.startsWith("_") || INTERNAL_TAGS.contains(key);
    }
}
