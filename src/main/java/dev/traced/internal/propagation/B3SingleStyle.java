package dev.traced.internal.propagation;

import dev.traced.internal.trace.Ids;
import dev.traced.internal.trace.PendingTrace;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@code b3single} style ({@code b3 single header}): one header
 * {@code b3: <trace id>-<span id>[-<sampled>[-<parent span id>]]}, sampled being {@code 1}, {@code 0}
 * or {@code d} (debug, meaning sampled). A header with only a sampling state carries no context.
 */
final class B3SingleStyle implements HeaderStyle {

    static final String B3 = "b3";

    @Override
    public String name() {
        return "b3single";
    }

    @Override
    public void inject(OutgoingContext context, BiConsumer<String, String> headers) {
        StringBuilder out = new StringBuilder(51);
        out.append(Ids.toHex32(context.traceIdHigh(), context.traceIdLow())).append('-')
                .append(Ids.toHex16(context.spanId()));
        if (context.samplingPriority() != PendingTrace.UNSET) {
            out.append(context.samplingPriority() > 0 ? "-1" : "-0");
        }
        headers.accept(B3, out.toString());
    }

    @Override
    public Extracted extract(Function<String, String> headers, Extracted into) {
        String header = headers.apply(B3);
        if (header == null) {
            return null;
        }
        Extracted context = parse(header, into);
        if (context == null) {
            Propagation.LOG.debug("b3-single", "ignoring a b3 header without valid ids");
        }
        return context;
    }

    private Extracted parse(String header, Extracted into) {
        String value = HeaderText.firstValue(header);
        int first = value.indexOf('-');
        if (first < 0 || value.length() > 32 + 1 + 16 + 2 + 17) {
            return null;
        }
        int second = value.indexOf('-', first + 1);
        String spanId = second < 0 ? value.substring(first + 1) : value.substring(first + 1, second);
        Extracted context = into;
        if (!B3Ids.read(value.substring(0, first), spanId, context)) {
            return null;
        }
        if (second >= 0) {
            int third = value.indexOf('-', second + 1);
            String sampled = third < 0 ? value.substring(second + 1) : value.substring(second + 1, third);
            if (sampled.equals("1") || sampled.equals("d")) {
                B3Ids.sampled(context, true);
            } else if (sampled.equals("0")) {
                B3Ids.sampled(context, false);
            } else {
                return null;
            }
        }
        return context;
    }
}
