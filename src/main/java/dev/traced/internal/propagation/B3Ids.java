package dev.traced.internal.propagation;

import dev.traced.internal.trace.Ids;
import dev.traced.internal.trace.PendingTrace;

/** The id and sampling rules the two B3 styles share. */
final class B3Ids {

    private B3Ids() {
    }

    /**
     * Reads a 16 or 32 hex trace id and a 16 hex span id (either case, as B3 senders differ) into the
     * context; false when they are malformed or zero.
     */
    static boolean read(String traceId, String spanId, Extracted context) {
        int traceLength = traceId.length();
        if ((traceLength != 16 && traceLength != 32) || !HeaderText.isHex(traceId, 0, traceLength)
                || spanId.length() != 16 || !HeaderText.isHex(spanId, 0, 16)) {
            return false;
        }
        context.traceIdHigh = traceLength == 32 ? Ids.parseHex64(traceId, 0, 16) : 0;
        context.traceIdLow = Ids.parseHex64(traceId, traceLength - 16, traceLength);
        context.spanId = Ids.parseHex64(spanId, 0, 16);
        return context.isComplete();
    }

    static void sampled(Extracted context, boolean sampled) {
        context.sampledFlag = sampled;
        context.samplingPriority = sampled ? PendingTrace.SAMPLER_KEEP : PendingTrace.SAMPLER_DROP;
    }
}
