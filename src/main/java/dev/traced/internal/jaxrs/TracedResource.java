package dev.traced.internal.jaxrs;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds {@link ResourceInvocationInterceptor} to JAX-RS resource classes. Applications never write
 * it: {@link ResourceBindingPortableExtension} (full CDI: Weld, WildFly) or
 * {@link ResourceBindingExtension} (CDI Lite: Quarkus ArC) adds it to every CDI bean class that has
 * {@code @Path}.
 */
@Inherited
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TracedResource {
}
