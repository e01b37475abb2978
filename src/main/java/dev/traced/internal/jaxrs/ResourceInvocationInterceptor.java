package dev.traced.internal.jaxrs;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Wraps the call of a resource method (on resource classes that are CDI beans) to do the two things a
 * JAX-RS filter cannot:
 * <ul>
 *   <li>record an exception the method throws on the server span before an exception mapper turns
 *       it into a response (a mapper that sees it would change responses: not an option);</li>
 *   <li>make the span of an asynchronous resource active while the method runs, and inactive again
 *       when it returns, since the thread then goes back to its pool while the response is pending.</li>
 * </ul>
 *
 * <p>Only the first call of the matched resource method after the request filter, on that thread,
 * is concerned; any other call of a resource bean passes straight through. Runs before
 * {@code @Traced}'s interceptor, so a {@code @Traced} resource method's span is a child of the
 * server span.
 *
 * <p>Resources that are not CDI beans get the filters only: the status still decides the error flag,
 * but the exception itself is not recorded, and an async resource's span is not active during the
 * method call.
 */
@TracedResource
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE - 10)
public class ResourceInvocationInterceptor {

    @AroundInvoke
    public Object invoke(InvocationContext context) throws Exception {
        ServerRequest request = ServerRequest.claimInvocation(context.getMethod());
        if (request == null) {
            return context.proceed();
        }
        boolean activated = false;
        if (!request.activeHere()) {
            request.activateForInvocation();
            activated = true;
        }
        try {
            return context.proceed();
        } catch (Throwable t) {
            request.span.setError(t);
            throw t;
        } finally {
            if (activated) {
                request.deactivateAfterInvocation();
            }
            if (request.route.async()) {
                request.leaveThread();
            }
        }
    }
}
