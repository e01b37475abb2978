package dev.traced.internal.propagation;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One way of writing a trace context into request headers (Datadog, W3C, B3, ...). {@link Propagation}
 * runs the configured styles in order; a style may throw on hostile input, the composite catches it
 * and ignores that style.
 */
interface HeaderStyle {

    /** The configuration name of the style, also the {@code context_headers} of a span link. */
    String name();

    /** Writes the context's headers of this style. */
    void inject(OutgoingContext context, BiConsumer<String, String> headers);

    /**
     * Reads this style's headers into {@code into} (cleared, and named after this style); returns
     * it, or null when they are absent or invalid (then {@code into} may hold part of them).
     */
    Extracted extract(Function<String, String> headers, Extracted into);

    /**
     * Reads this style's headers once another style's context ({@code winner}) won: the result only
     * serves to reconcile (ids, flags, tracestate) or becomes a span link, so a style may skip its
     * {@code _dd.p.*} tags, which would be dropped, and whatever else neither uses.
     */
    default Extracted extractAfterWinner(Function<String, String> headers, Extracted winner, Extracted into) {
        return extract(headers, into);
    }
}
