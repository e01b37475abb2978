package dev.traced.internal.propagation;

import dev.traced.SpanContext;
import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;
import dev.traced.internal.trace.Ids;
import dev.traced.internal.trace.RemoteContext;
import dev.traced.internal.trace.SpanLinkData;
import dev.traced.internal.trace.TracerThreadLocal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Reads and writes the trace context in request headers, in the configured styles
 * ({@code dd.trace.propagation.style}, {@code .style.inject}, {@code .style.extract}; default
 * {@code datadog,tracecontext,baggage}).
 *
 * <p>Extraction follows dd-trace-java: the first style with a complete context wins; a later W3C
 * context of the same trace makes its span the parent (the Datadog one is kept as
 * {@code _dd.parent_id}) and brings its tracestate; a context of another trace becomes a span link
 * ({@code reason=terminated_context}). Baggage joins whichever context won. A style whose headers are
 * malformed or hostile is ignored; nothing here throws.
 */
public final class Propagation {

    /** Shared by the styles: one logger for everything propagation ignores. */
    static final RateLimitedLog LOG = RateLimitedLog.of(Propagation.class);
    static final String DEFAULT_STYLES = "datadog,tracecontext,baggage";

    /** Arrays, walked by index: a list's iterator is an allocation per request where it is not optimised away. */
    private final HeaderStyle[] injectStyles;
    private final HeaderStyle[] extractStyles;
    private final BaggageStyle extractBaggage;
    /** {@code dd.trace.propagation.extract.first}: stop at the first complete context. */
    private final boolean extractFirst;
    /**
     * Baggage keys copied to the local root ({@code dd.trace.baggage.tag.keys}), as configured: the
     * instances the baggage style returns for them; null means every key.
     */
    private final String[] tagKeys;
    /** The tag name of each of {@link #tagKeys}, {@code baggage.<key>}, made once. */
    private final String[] tagNames;
    /** {@code dd.trace.baggage.max.items}: also the most items a trace keeps when set from code. */
    private final int baggageMaxItems;
    /**
     * Each thread's reusable extraction results and injection context. This instance's, not static,
     * and emptied on every thread when the tracer closes ({@link TracerThreadLocal}): they are classes
     * of this library, which would keep a redeployed application's class loader on every pooled thread.
     */
    private final TracerThreadLocal<Extracted> extractionPairs = Extracted.newThreadPairs();
    private final TracerThreadLocal<OutgoingContext> outgoingContexts = OutgoingContext.newThreadContexts();

    public Propagation(Config config) {
        baggageMaxItems = config.getInt("dd.trace.baggage.max.items", 64, 0, 64);
        List<String> tagKeys = baggageTagKeys(config);
        Map<String, HeaderStyle> known = knownStyles(config, tagKeys);
        String both = config.getString("dd.trace.propagation.style", DEFAULT_STYLES);
        injectStyles = parseStyles(config.getString("dd.trace.propagation.style.inject", both), known)
                .toArray(new HeaderStyle[0]);
        List<HeaderStyle> extract = new ArrayList<>(
                parseStyles(config.getString("dd.trace.propagation.style.extract", both), known));
        BaggageStyle baggage = null;
        for (HeaderStyle style : extract) {
            if (style instanceof BaggageStyle baggageStyle) {
                baggage = baggageStyle;
            }
        }
        extract.remove(baggage);
        extractStyles = extract.toArray(new HeaderStyle[0]);
        extractBaggage = baggage;
        extractFirst = config.getBoolean("dd.trace.propagation.extract.first", false);
        if (tagKeys.contains("*")) {
            this.tagKeys = null;
            this.tagNames = null;
        } else {
            this.tagKeys = tagKeys.toArray(new String[0]);
            this.tagNames = new String[this.tagKeys.length];
            for (int i = 0; i < this.tagKeys.length; i++) {
                this.tagNames[i] = "baggage." + this.tagKeys[i];
            }
        }
    }

    /** Lets go of every thread's reusable objects: the tracer is closed. */
    public void close() {
        extractionPairs.close();
        outgoingContexts.close();
    }

    private static Map<String, HeaderStyle> knownStyles(Config config, List<String> baggageTagKeys) {
        Map<String, HeaderStyle> known = new HashMap<>();
        known.put("datadog", new DatadogStyle(config.getInt("dd.trace.x.datadog.tags.max.length", 512, 0, 512)));
        known.put("tracecontext", new TraceContextStyle());
        HeaderStyle b3multi = new B3MultiStyle();
        known.put("b3multi", b3multi);
        known.put("b3", b3multi); // b3 means the multi-header form in dd-trace-java
        HeaderStyle b3single = new B3SingleStyle();
        known.put("b3single", b3single);
        known.put("b3 single header", b3single);
        known.put("baggage", new BaggageStyle(config.getInt("dd.trace.baggage.max.items", 64, 0, 64),
                config.getInt("dd.trace.baggage.max.bytes", 8192, 0, 8192), baggageTagKeys));
        return known;
    }

    /** {@code dd.trace.baggage.tag.keys}: baggage keys copied to the local root as {@code baggage.<key>}. */
    private static List<String> baggageTagKeys(Config config) {
        return config.raw("dd.trace.baggage.tag.keys") == null
                ? List.of("user.id", "session.id", "account.id") : config.getList("dd.trace.baggage.tag.keys");
    }

    /** The styles of a comma-separated list, in order, without repeats; unknown names are logged and skipped. */
    static List<HeaderStyle> parseStyles(String value, Map<String, HeaderStyle> known) {
        List<HeaderStyle> styles = new ArrayList<>();
        for (String name : value.split(",")) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            if (key.isEmpty() || key.equals("none")) {
                continue;
            }
            HeaderStyle style = known.get(key);
            if (style == null) {
                LOG.warn("unknown-style-" + key, "unknown propagation style '%s' ignored; known: datadog, "
                        + "tracecontext, b3multi, b3, b3single, baggage, none", name.trim());
            } else if (!styles.contains(style)) {
                styles.add(style);
            }
        }
        return List.copyOf(styles);
    }

    /** The most baggage items a trace carries ({@code dd.trace.baggage.max.items}, at most 64). */
    public int baggageMaxItems() {
        return baggageMaxItems;
    }

    // ---- inject -------------------------------------------------------------------------------

    /**
     * Writes the context of a local span (its span id becomes the callee's parent) or of a remote
     * context (passed on as it came) in every inject style. Never throws. The caller decides the
     * sampling priority first: it is sent only once decided.
     */
    public void inject(SpanContext context, BiConsumer<String, String> headers) {
        if (context == null || headers == null) {
            return;
        }
        OutgoingContext outgoing;
        try {
            outgoing = OutgoingContext.of(context, outgoingContexts);
        } catch (RuntimeException e) {
            LOG.debug("inject-context", "cannot inject a context with malformed ids: %s", e);
            return;
        }
        if (outgoing == null) {
            LOG.debug("inject-context", "cannot inject a context without valid ids");
            return;
        }
        try {
            for (HeaderStyle style : injectStyles) {
                try {
                    style.inject(outgoing, headers);
                } catch (RuntimeException e) {
                    LOG.warn("inject-" + style.name(), e, "could not inject %s headers", style.name());
                }
            }
        } finally {
            outgoing.release(); // also when the carrier threw an Error: the thread's context is free again
        }
    }

    // ---- extract ------------------------------------------------------------------------------

    /**
     * Reads a context from headers looked up by lower-case name. A header sent on several lines is
     * expected as its values joined with {@code ","} (as JAX-RS {@code getHeaderString} returns it).
     * Null when no style carries a complete context (baggage alone makes no parent). Never throws.
     */
    public RemoteContext extract(Function<String, String> headers) {
        if (headers == null) {
            return null;
        }
        Extracted reused = Extracted.lend(extractionPairs);
        try {
            return extract(headers, reused);
        } finally {
            reused.giveBack();
        }
    }

    /** Extraction with the thread's pair of results: {@code reused} for the winner, its {@code later()} for the rest. */
    private RemoteContext extract(Function<String, String> headers, Extracted reused) {
        Extracted winner = null;
        List<SpanLinkData> links = null;
        for (HeaderStyle style : extractStyles) {
            Extracted into = (winner == null ? reused : reused.later()).reset(style.name());
            Extracted context = extract(style, headers, winner, into);
            if (context == null || !context.isComplete()) {
                continue;
            }
            if (winner == null) {
                winner = context;
                if (extractFirst) {
                    break;
                }
            } else if (sameTrace(winner, context)) {
                if (context.style.equals("tracecontext")) {
                    mergeTraceContext(winner, context);
                }
            } else {
                if (links == null) {
                    links = new ArrayList<>(2);
                }
                links.add(SpanLinks.of(context));
            }
        }
        if (winner == null) {
            return null;
        }
        if (winner.lastParentSource != null && !winner.tags().containsKey("_dd.parent_id")) {
            winner.tags().put("_dd.parent_id", winner.lastParentId()); // the W3C context won: its p: value
        }
        SmallMap baggage = null;
        String baggageText = null;
        if (extractBaggage != null) {
            try {
                baggageText = headers.apply(BaggageStyle.BAGGAGE);
                baggage = extractBaggage.extractItems(baggageText);
            } catch (RuntimeException e) {
                LOG.debug("extract-baggage", "ignoring baggage headers that could not be read: %s", e);
            }
            if (baggage != null) {
                addBaggageTags(baggage, winner);
            }
            if (baggage == null || !baggage.isFrozen()) {
                baggageText = null; // not the text injection would write: encoded again when sent
            }
        }
        return new RemoteContext(winner.traceIdHigh, winner.traceIdLow, winner.spanId, winner.samplingPriority,
                winner.origin, winner.tagsOrNull(), winner.traceState, baggage,
                links, winner.randomTraceId, winner.traceIdDecimal, winner.traceStateFrom, baggageText);
    }

    private static Extracted extract(HeaderStyle style, Function<String, String> headers, Extracted winner,
                                     Extracted into) {
        try {
            return winner != null ? style.extractAfterWinner(headers, winner, into) : style.extract(headers, into);
        } catch (RuntimeException e) {
            LOG.debug("extract-" + style.name(), "ignoring %s headers that could not be read: %s", style.name(), e);
            return null;
        }
    }

    /**
     * As dd-trace-java: two 128-bit ids match as a whole; when one side only knows 64 bits (Datadog
     * headers without {@code _dd.p.tid}, or 16-hex B3), the lower 64 bits decide.
     */
    private static boolean sameTrace(Extracted a, Extracted b) {
        return a.traceIdLow == b.traceIdLow
                && (a.traceIdHigh == b.traceIdHigh || a.traceIdHigh == 0 || b.traceIdHigh == 0);
    }

    /**
     * A W3C context of the trace that already won: the W3C span is the closer parent (a proxy speaking
     * only W3C may sit in between), so it becomes the parent and the Datadog parent is kept as
     * {@code _dd.parent_id}; its tracestate is what travels on.
     */
    private static void mergeTraceContext(Extracted winner, Extracted w3c) {
        if (winner.traceIdHigh == 0) {
            winner.traceIdHigh = w3c.traceIdHigh; // a 64-bit Datadog id completed by the W3C one
        }
        winner.randomTraceId = w3c.randomTraceId; // the same id: what its W3C sender says of it holds
        if (w3c.spanId != winner.spanId) {
            String lastParentId = w3c.lastParentId();
            winner.tags().put("_dd.parent_id", lastParentId != null ? lastParentId : Ids.toHex16(winner.spanId));
            winner.spanId = w3c.spanId;
        }
        winner.traceState = w3c.traceState;
        winner.traceStateFrom = w3c.traceStateFrom;
    }

    /**
     * Adds the {@code baggage.<key>} tags. The winner's tags hold only {@code _dd.*} keys so far, and
     * the baggage keys are distinct, so each tag is new to the map: added without a search.
     */
    private void addBaggageTags(SmallMap baggage, Extracted winner) {
        for (int i = 0; i < baggage.size(); i++) { // by index: an entry iterator allocates per item
            String key = baggage.keyAt(i);
            String tag = tagKeys == null ? "baggage." + key : tagName(key);
            if (tag != null) {
                winner.tags().add(tag, baggage.valueAt(i));
            }
        }
    }

    /**
     * The tag name of a baggage key, or null when it is not a tag key. A key the baggage style
     * recognised is the configured instance itself: found by identity, without hashing the key.
     */
    private String tagName(String key) {
        for (int i = 0; i < tagKeys.length; i++) {
            if (tagKeys[i] == key) {
                return tagNames[i];
            }
        }
        for (int i = 0; i < tagKeys.length; i++) {
            if (tagKeys[i].equals(key)) {
                return tagNames[i];
            }
        }
        return null;
    }
}
