package dev.traced.internal.propagation;

import dev.traced.internal.trace.Ids;
import dev.traced.internal.trace.PendingTrace;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@code b3multi} style (also {@code b3}, as in dd-trace-java): {@code x-b3-traceid} (16 or 32
 * hex; written as 32), {@code x-b3-spanid} (16 hex) and {@code x-b3-sampled} ({@code 1}/{@code 0},
 * written only once the priority is decided). {@code x-b3-flags: 1} (debug) means sampled.
 */
final class B3MultiStyle implements HeaderStyle {

    static final String TRACE_ID = "x-b3-traceid";
    static final String SPAN_ID = "x-b3-spanid";
    static final String SAMPLED = "x-b3-sampled";
    static final String FLAGS = "x-b3-flags";

    @Override
    public String name() {
        return "b3multi";
    }

    @Override
    public void inject(OutgoingContext context, BiConsumer<String, String> headers) {
        headers.accept(TRACE_ID, Ids.toHex32(context.traceIdHigh(), context.traceIdLow()));
        headers.accept(SPAN_ID, Ids.toHex16(context.spanId()));
        if (context.samplingPriority() != PendingTrace.UNSET) {
            headers.accept(SAMPLED, context.samplingPriority() > 0 ? "1" : "0");
        }
    }

    @Override
    public Extracted extract(Function<String, String> headers, Extracted into) {
        String traceId = headers.apply(TRACE_ID);
        String spanId = headers.apply(SPAN_ID);
        if (traceId == null || spanId == null) {
            return null;
        }
        Extracted context = into;
        if (!B3Ids.read(HeaderText.firstValue(traceId), HeaderText.firstValue(spanId), context)) {
            Propagation.LOG.debug("b3-ids", "ignoring x-b3-* headers: malformed or zero ids");
            return null;
        }
        String flags = headers.apply(FLAGS);
        String sampled = headers.apply(SAMPLED);
        if (flags != null && HeaderText.firstValue(flags).equals("1")) {
            B3Ids.sampled(context, true);
        } else if (sampled != null) {
            String value = HeaderText.firstValue(sampled);
            if (value.equals("1") || value.equalsIgnoreCase("true")) {
                B3Ids.sampled(context, true);
            } else if (value.equals("0") || value.equalsIgnoreCase("false")) {
                B3Ids.sampled(context, false);
            }
        }
        return context;
    }
}
