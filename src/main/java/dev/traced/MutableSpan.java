package dev.traced;

/**
 * A finished span as a {@link TraceProcessor} sees it: its values can still be changed, because the
 * trace has not been sent yet. dd-trace-java's {@code MutableSpan}.
 *
 * <p>Setters never throw. {@code setTag} with a null value removes the tag; tags set here win over
 * the tags the tracer adds (such as {@code env} or {@code version}).
 */
public interface MutableSpan extends FinishedSpan {

    MutableSpan setTag(String key, String value);

    MutableSpan setTag(String key, Number value);

    MutableSpan setTag(String key, boolean value);

    MutableSpan setService(String service);

    MutableSpan setOperationName(String operationName);

    MutableSpan setResource(String resource);

    MutableSpan setSpanType(String spanType);

    MutableSpan setError(boolean error);

    /** True for the first span of the trace in this process (the one a remote parent or nothing started). */
    boolean isLocalRoot();
}
