package dev.traced.internal.writer;

import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.Ids;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code dd.trace.writer=console}: prints each finished trace to {@code System.out} as an indented
 * tree (operation, service, resource, duration, error, tags), for local development. Printing
 * happens on the writer's thread, never on the application thread; the hand-over is the same
 * bounded, non-blocking queue as the Agent writer's.
 */
public final class ConsoleWriter implements TraceWriter {

    /** Stack trace lines printed under an error span. */
    private static final int STACK_LINES = 5;

    private final TraceQueue queue;
    private final DropCounter drops = new DropCounter();
    private final FlushWorker worker;
    private volatile boolean closed;

    public ConsoleWriter(ScheduledExecutorService scheduler, int queueSize, Duration flushInterval) {
        this.queue = new TraceQueue(queueSize);
        this.worker = new FlushWorker(scheduler, flushInterval, sendAll -> printQueued());
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

    private void printQueued() {
        PrintStream out = System.out;
        List<CoreSpan> chunk;
        while ((chunk = queue.poll()) != null) {
            out.print(format(chunk));
        }
        out.flush();
        drops.logIfDue(System.nanoTime());
    }

    /** The tree of one chunk: children under their parent, in start order; spans whose parent is elsewhere first. */
    static String format(List<CoreSpan> chunk) {
        Map<Long, List<CoreSpan>> children = new HashMap<>();
        List<CoreSpan> roots = new ArrayList<>();
        Map<Long, CoreSpan> byId = new HashMap<>();
        for (CoreSpan span : chunk) {
            byId.put(span.spanIdValue(), span);
        }
        for (CoreSpan span : chunk) {
            if (byId.containsKey(span.parentIdValue()) && span.parentIdValue() != span.spanIdValue()) {
                children.computeIfAbsent(span.parentIdValue(), id -> new ArrayList<>()).add(span);
            } else {
                roots.add(span);
            }
        }
        Comparator<CoreSpan> byStart = Comparator.comparingLong(CoreSpan::startEpochNanos);
        roots.sort(byStart);
        children.values().forEach(list -> list.sort(byStart));
        CoreSpan first = chunk.get(0);
        StringBuilder text = new StringBuilder(256 * chunk.size());
        text.append("[traced] trace ").append(Ids.toHex32(first.traceIdHigh(), first.traceIdLow()))
                .append(" (").append(chunk.size()).append(chunk.size() == 1 ? " span)\n" : " spans)\n");
        for (CoreSpan root : roots) {
            append(text, root, children, 1);
        }
        return text.toString();
    }

    private static void append(StringBuilder text, CoreSpan span, Map<Long, List<CoreSpan>> children, int depth) {
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
        StringBuilder tags = new StringBuilder();
        span.meta().forEach((key, value) -> {
            if (!key.equals("error.stack")) {
                tags.append(tags.length() == 0 ? "" : ", ").append(key).append('=').append(value);
            }
        });
        span.metrics().forEach((key, value) ->
                tags.append(tags.length() == 0 ? "" : ", ").append(key).append('=').append(value));
        if (tags.length() > 0) {
            text.append(indent).append("    tags: ").append(tags).append('\n');
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
            append(text, child, children, depth + 1);
        }
    }
}
