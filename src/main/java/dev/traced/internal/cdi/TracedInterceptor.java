package dev.traced.internal.cdi;

import dev.traced.Traced;
import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;

/**
 * Wraps a {@link Traced} business method in a span: start, proceed, record, end. What the span is
 * called comes from {@link TracedMethods}; a {@code CompletionStage} result ends the span when it
 * completes, and so does a result of any {@link AsyncResultType} the runtime registers.
 *
 * <p>Enabled for the whole application by {@code @Priority}, so no {@code beans.xml} entry is needed.
 * Early in the chain ({@code LIBRARY_BEFORE}) so the span covers the interceptors after it.
 */
@Traced
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class TracedInterceptor {

    private final CoreTracer tracer;
    private final TracedMethods methods;
    /** An array, usually empty: a traced call that returns a plain value checks its length only. */
    private final AsyncResultType[] asyncTypes;
    /**
     * The templates this interceptor instance has used, as (method, target class, template or
     * {@link #NOT_TRACED}) triples, replaced on each new method. The container makes an interceptor
     * instance per intercepted bean instance, so this holds the few traced methods of one bean: an
     * identity scan of it is cheaper than {@link TracedMethods}' per-class map (about a fifth of the
     * interceptor's own cost). Bounded: past {@link #MAX_SEEN} methods the shared map answers.
     */
    private volatile Object[] seen = new Object[0];
    private static final int MAX_SEEN = 16;
    private static final Object NOT_TRACED = new Object();

    @Inject
    public TracedInterceptor(TracerHolder holder, Instance<AsyncResultType> asyncTypes) {
        this.tracer = holder.coreTracer();
        // The holder's instance itself, not a client proxy: one hop less on every traced call.
        this.methods = holder.tracedMethods();
        this.asyncTypes = asyncTypes == null ? new AsyncResultType[0]
                : asyncTypes.stream().toArray(AsyncResultType[]::new);
    }

    @AroundInvoke
    public Object trace(InvocationContext context) throws Exception {
        CoreSpan span = tracer == null ? null : start(context);
        if (span == null) {
            return context.proceed();
        }
        Object result;
        try {
            result = context.proceed();
        } catch (Throwable t) {
            span.setError(t);
            span.finish();
            throw t;
        }
        if (result instanceof CompletionStage<?> stage && TracedMethods.returnsStage(context.getMethod())) {
            tracer.deactivate(span);
            stage.whenComplete((value, error) -> finish(span, error));
            return result;
        }
        AsyncResultType asyncType = result == null || asyncTypes.length == 0 ? null
                : asyncType(context.getMethod().getReturnType());
        if (asyncType != null) {
            tracer.deactivate(span);
            try {
                return asyncType.whenTerminated(result, error -> finish(span, error));
            } catch (RuntimeException | LinkageError e) {
                TracedMethods.LOG.warn("interceptor-async", e, "could not watch the result of %s",
                        context.getMethod());
                span.finish();
                return result;
            }
        }
        span.finish();
        return result;
    }

    private static void finish(CoreSpan span, Throwable error) {
        if (error != null) {
            span.setError(TracedMethods.unwrap(error));
        }
        span.finish();
    }

    /** The registered async type for this declared return type; usually there are none or one. */
    private AsyncResultType asyncType(Class<?> declaredReturnType) {
        for (AsyncResultType type : asyncTypes) {
            if (type.handles(declaredReturnType)) {
                return type;
            }
        }
        return null;
    }

    /** The span template of this call, or null when its method opts out. */
    private TracedMethods.Template template(InvocationContext context) {
        Method method = context.getMethod();
        Object target = context.getTarget();
        Class<?> targetClass = target == null ? null : target.getClass();
        Object[] known = seen;
        for (int i = 0; i < known.length; i += 3) {
            if (known[i] == method && known[i + 1] == targetClass) {
                Object template = known[i + 2];
                return template == NOT_TRACED ? null : (TracedMethods.Template) template;
            }
        }
        TracedMethods.Template template = methods.template(context);
        if (known.length < MAX_SEEN * 3) {
            // A race between two first calls loses an entry at worst; the next call adds it again.
            Object[] more = Arrays.copyOf(known, known.length + 3);
            more[known.length] = method;
            more[known.length + 1] = targetClass;
            more[known.length + 2] = template == null ? NOT_TRACED : template;
            seen = more;
        }
        return template;
    }

    /** Starts the span, or returns null when the method is not traced or tracing fails. */
    private CoreSpan start(InvocationContext context) {
        try {
            TracedMethods.Template template = template(context);
            if (template == null) {
                return null;
            }
            CoreSpan span = tracer.startSpan(template.operationName(), template.service(), template.resource(),
                    template.spanType(), null, false, true);
            if (template.measured()) {
                span.setTag("_dd.measured", 1);
            }
            return span;
        } catch (RuntimeException | LinkageError e) {
            TracedMethods.LOG.warn("interceptor-start", e, "could not start a span for %s", context.getMethod());
            return null;
        }
    }
}
