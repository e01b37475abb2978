package dev.traced;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opts out of tracing. On a method of a class-level {@link Traced} bean, that method gets no span.
 * On a JAX-RS resource class or method, its requests create no server span and propagate nothing
 * (the annotated form of {@code dd.trace.resources.ignore}, for health checks and the like).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface DoNotTrace {
}
