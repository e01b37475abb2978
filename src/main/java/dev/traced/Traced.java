package dev.traced;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Wraps every call of a CDI bean method in a span: the Java form of ddtrace's
 * {@code @tracer.wrap(name, service=, resource=, span_type=)}.
 *
 * <p>On a method it traces that method; on a class (or on a stereotype the class carries) it traces
 * every business method of the bean. A method-level {@code @Traced} wins over the class-level one, and
 * {@link DoNotTrace} opts one method out of a class-level binding.
 *
 * <p>An exception leaving the method marks the span as an error and passes through unchanged. A method
 * that returns a {@link java.util.concurrent.CompletionStage} ends its span when the stage completes.
 *
 * <p>Interception follows CDI rules: only business-method calls through the bean's contextual reference
 * are traced (not {@code this.method()}, private or static methods).
 */
@Inherited
@InterceptorBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Traced {

    /**
     * Operation name.
     *
     * @return the operation name; default {@code "<SimpleClassName>.<methodName>"} of the bean class
     */
    @Nonbinding String value() default "";

    /**
     * Service name.
     *
     * @return the service name; default the configured service ({@code dd.service})
     */
    @Nonbinding String service() default "";

    /**
     * Resource name.
     *
     * @return the resource name; default the operation name
     */
    @Nonbinding String resource() default "";

    /**
     * Span type.
     *
     * @return {@code web}, {@code http}, {@code sql}, {@code cache}, ...; default none
     */
    @Nonbinding String spanType() default "";

    /**
     * Whether the span is measured.
     *
     * @return true to set {@code _dd.measured=1}, so the Agent computes trace metrics for the span
     */
    @Nonbinding boolean measured() default false;
}
