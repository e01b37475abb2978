package dev.traced.internal.jaxrs;

import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;

import java.lang.reflect.Method;

/**
 * One traced server request: its span, and on which thread that span is active. Kept as a request
 * property (for the response filter and writer interceptor, wherever they run) and, between the
 * request filter and the resource method, in a per-thread slot (for the resource interceptor, which
 * cannot see the request).
 *
 * <p>The span is active on the request thread from the request filter until the response filter
 * (synchronous resources), or only during the resource method call (asynchronous ones, whose
 * response may be written from another thread). Either way, no span stays active on a pooled thread
 * after the request has left it.
 */
final class ServerRequest {

    private static final ThreadLocal<ServerRequest> ON_THREAD = new ThreadLocal<>();

    private final CoreTracer tracer;
    final CoreSpan span;
    final ResourceRoute route;
    /** The thread the request filter activated the span on; null once deactivated, or if never. */
    private volatile Thread activeOn;
    private boolean invoked;
    /** Set by the response filter when the span ends after the entity is written. */
    volatile boolean finishOnWrite;

    ServerRequest(CoreTracer tracer, CoreSpan span, ResourceRoute route) {
        this.tracer = tracer;
        this.span = span;
        this.route = route;
    }

    /** Called by the request filter once the span is started (and active unless async). */
    void enter(boolean activated) {
        ServerRequest leftover = ON_THREAD.get();
        if (leftover != null) {
            leftover.abandon();
        }
        if (activated) {
            activeOn = Thread.currentThread();
        }
        ON_THREAD.set(this);
    }

    /**
     * The request whose resource method is being invoked on this thread, the first time it is asked
     * for that method; null for any other call (other beans, later calls).
     */
    static ServerRequest claimInvocation(Method method) {
        ServerRequest request = ON_THREAD.get();
        if (request == null || request.invoked || !request.route.methodName().equals(method.getName())) {
            return null;
        }
        request.invoked = true;
        return request;
    }

    /** True when the span is active on this thread already (synchronous resources). */
    boolean activeHere() {
        return activeOn == Thread.currentThread();
    }

    /** The resource interceptor makes the span active for the method call of an async resource. */
    void activateForInvocation() {
        tracer.activate(span);
    }

    void deactivateAfterInvocation() {
        tracer.deactivate(span);
    }

    /** After the resource method of an async resource returned: the thread goes back to its pool. */
    void leaveThread() {
        if (ON_THREAD.get() == this) {
            ON_THREAD.remove();
        }
    }

    /** Called by the response filter, on whichever thread writes the response. */
    void responseStarted() {
        if (activeOn == Thread.currentThread()) {
            tracer.deactivate(span);
            activeOn = null;
        }
        leaveThread();
    }

    /**
     * A request that never reached the response filter on this thread (an exception that escaped
     * JAX-RS): make sure its span is no longer active here, and end it rather than lose the trace.
     */
    private void abandon() {
        ON_THREAD.remove();
        if (activeOn == Thread.currentThread()) {
            tracer.deactivate(span);
            activeOn = null;
            span.finish();
        }
    }

    void finish() {
        span.finish();
    }
}
