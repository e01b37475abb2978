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

    private static final int MAX_SEEN = 16;

    private final CoreTracer tracer;
    private final TracedMethods methods;
    /** An array, usually empty. */
    private final AsyncResultType[] asyncTypes;
    /**
     * The plans of the methods this interceptor instance has seen, as (method, target class, plan)
     * triples, replaced on each new method. The container makes an interceptor instance per
     * intercepted bean instance, so this holds the few methods of one bean: an identity scan of it is
     * cheaper than {@link TracedMethods}' per-class map on every call. Bounded: past {@link #MAX_SEEN}
     * methods, the map answers and a plan is made per call.
     */
    private volatile Object[] seen = new Object[0];

    /**
     * What a traced call of one method does, settled on its first call: the span's template, and
     * whether its declared return type is a {@code CompletionStage} or one of the registered
     * {@link AsyncResultType}s, so that a call returning a plain value checks two fields only.
     */
    private record Plan(TracedMethods.Template template, boolean returnsStage, AsyncResultType asyncType) {
    }

    /** The plan of a method that opts out ({@code @DoNotTrace}). */
    private static final Plan NOT_TRACED = new Plan(null, false, null);

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
        Plan plan = tracer == null ? NOT_TRACED : plan(context);
        CoreSpan span = plan == NOT_TRACED ? null : start(plan.template(), context);
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
        if (plan.returnsStage() && result instanceof CompletionStage<?> stage) {
            tracer.deactivate(span);
            stage.whenComplete((value, error) -> finish(span, error));
            return result;
        }
        AsyncResultType asyncType = plan.asyncType();
        if (asyncType != null && result != null) {
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

    /** The plan of this call's method; {@link #NOT_TRACED} when it opts out or cannot be read. */
    private Plan plan(InvocationContext context) {
        try {
            Method method = context.getMethod();
            Object target = context.getTarget();
            Class<?> targetClass = target == null ? null : target.getClass();
            Object[] known = seen;
            for (int i = 0; i < known.length; i += 3) {
                if (known[i] == method && known[i + 1] == targetClass) {
                    return (Plan) known[i + 2];
                }
            }
            Plan plan = newPlan(context, method);
            if (known.length < MAX_SEEN * 3) {
                // Two first calls at once may each add an entry; the scan takes the first, equal one.
                Object[] more = Arrays.copyOf(known, known.length + 3);
                more[known.length] = method;
                more[known.length + 1] = targetClass;
                more[known.length + 2] = plan;
                seen = more;
            }
            return plan;
        } catch (RuntimeException | LinkageError e) {
            TracedMethods.LOG.warn("interceptor-start", e, "could not start a span for %s", context.getMethod());
            return NOT_TRACED;
        }
    }

    private Plan newPlan(InvocationContext context, Method method) {
        TracedMethods.Template template = methods.template(context);
        if (template == null) {
            return NOT_TRACED;
        }
        Class<?> returnType = method.getReturnType();
        return new Plan(template, TracedMethods.returnsStage(method), asyncType(returnType));
    }

    /** The registered async type for this declared return type; usually there are none or one. */
    private AsyncResultType asyncType(Class<?> declaredReturnType) {
        for (AsyncResultType type : asyncTypes) {
            try {
                if (type.handles(declaredReturnType)) {
                    return type;
                }
            } catch (RuntimeException | LinkageError e) {
                TracedMethods.LOG.warn("interceptor-async-type", e, "async result type %s failed; ignored for %s",
                        type.getClass().getName(), declaredReturnType.getName());
            }
        }
        return null;
    }

    /** Starts the span, or returns null when tracing fails. */
    private CoreSpan start(TracedMethods.Template template, InvocationContext context) {
        try {
            CoreSpan span = tracer.startActiveSpan(template.operationName(), template.service(),
                    template.resource(), template.spanType());
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
