package dev.traced.internal.jaxrs;

import dev.traced.internal.trace.CoreSpan;
import dev.traced.internal.trace.CoreTracer;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

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
    /** The settings the request was started with: whichever filter instance ends it uses these. */
    final JaxRsSettings settings;
    /** Set by the first response filter: a filter registered twice records the response once. */
    private boolean responded;
    /** The thread the request filter activated the span on; null once deactivated, or if never. */
    private volatile Thread activeOn;
    private boolean invoked;
    /** Set by the response filter when the span ends after the entity is written. */
    volatile boolean finishOnWrite;
    /** Client calls made on the request thread that have not had a response yet; null while none. */
    private List<CoreSpan> openClientCalls;

    ServerRequest(JaxRsSettings settings, CoreSpan span, ResourceRoute route) {
        this.settings = settings;
        this.tracer = settings.tracer();
        this.span = span;
        this.route = route;
    }

    /** True for the first call only: the response filter of a second registration does nothing. */
    synchronized boolean claimResponse() {
        if (responded) {
            return false;
        }
        responded = true;
        return true;
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

    /** The traced request being handled on this thread, or null. */
    static ServerRequest onThisThread() {
        return ON_THREAD.get();
    }

    synchronized void clientCallStarted(CoreSpan clientSpan) {
        if (openClientCalls == null) {
            openClientCalls = new ArrayList<>(2);
        }
        openClientCalls.add(clientSpan);
    }

    synchronized void clientCallEnded(CoreSpan clientSpan) {
        if (openClientCalls != null) {
            openClientCalls.remove(clientSpan);
        }
    }

    /**
     * JAX-RS calls no client filter when a call fails without a response (connection refused, read
     * timeout): such a client span would stay open, and an open span keeps its whole trace from being
     * written. Ending it with the request that made it keeps the trace, marked where it failed.
     */
    void endClientCallsWithoutResponse() {
        List<CoreSpan> open;
        synchronized (this) {
            if (openClientCalls == null || openClientCalls.isEmpty()) {
                return;
            }
            open = new ArrayList<>(openClientCalls);
            openClientCalls.clear();
        }
        for (CoreSpan call : open) {
            if (!call.isFinished()) {
                call.setError(true);
                call.setTag("error.message", "no response: the call failed before a response arrived");
                call.finish();
            }
        }
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
            clearThread();
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
        clearThread();
        if (activeOn == Thread.currentThread()) {
            tracer.deactivate(span);
            activeOn = null;
            span.finish();
        }
    }

    /**
     * {@code set(null)} rather than {@code remove()}: the thread's map entry is reused by its next
     * request instead of being allocated again. A null value holds nothing of the application.
     */
    private static void clearThread() {
        ON_THREAD.set(null);
    }

    void finish() {
        span.finish();
    }
}
