package dev.traced.cdi;

import dev.traced.DoNotTrace;
import dev.traced.Traced;
import dev.traced.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Stereotype;
import jakarta.inject.Inject;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Beans for the interceptor tests: one shape of @Traced use each. */
final class TracedBeans {

    private TracedBeans() {
    }

    /** Class-level binding, a method-level override and an opt-out. */
    @ApplicationScoped
    @Traced(service = "kitchen", spanType = "worker")
    public static class Kitchen {

        @Inject
        Tracer tracer;

        public String cook() {
            return "cooked";
        }

        @Traced(value = "kitchen.clean", resource = "sink")
        public String clean() {
            return "clean";
        }

        @DoNotTrace
        public String untraced() {
            return "untraced";
        }

        public String callsItself() {
            return cook();
        }

        public String activeSpanName() {
            return tracer.currentSpan().context().spanId();
        }
    }

    /** A stereotype that carries @Traced: beans using it are traced. */
    @Stereotype
    @Traced(measured = true)
    @ApplicationScoped
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface TracedService {
    }

    @TracedService
    public static class Pantry {
        public int count() {
            return 3;
        }
    }

    /** Async results: the span ends when the stage completes. */
    @Dependent
    public static class Oven {

        final CompletableFuture<String> pending = new CompletableFuture<>();

        @Traced("oven.bake")
        public CompletionStage<String> bake() {
            return pending;
        }

        @Traced("oven.done")
        public CompletableFuture<String> alreadyDone() {
            return CompletableFuture.completedFuture("done");
        }
    }

    /** Nested @Traced beans give nested spans. */
    @ApplicationScoped
    public static class Counter {
        @Inject
        Pantry pantry;

        @Traced
        public int countTwice() {
            return pantry.count() + pantry.count();
        }
    }
}
