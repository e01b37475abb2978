package dev.traced.benchmarks;

import dev.traced.Traced;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InterceptorBinding;
import jakarta.interceptor.InvocationContext;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * A {@code @Traced} bean call in Weld against the same call through a no-op {@code @Priority}
 * interceptor, and a plain bean call (client proxy only). {@code settings} as in SpanBenchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Ddd.service=bench"})
public class InterceptorBenchmark {

    @InterceptorBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    public @interface NoopBinding {
    }

    /** The baseline: an interceptor that only proceeds. */
    @NoopBinding
    @Interceptor
    @Priority(Interceptor.Priority.LIBRARY_BEFORE)
    public static class NoopInterceptor {
        @AroundInvoke
        public Object proceed(InvocationContext context) throws Exception {
            return context.proceed();
        }
    }

    @ApplicationScoped
    public static class Beans {
        @Traced
        public int traced(int x) {
            return x + 1;
        }

        @NoopBinding
        public int noop(int x) {
            return x + 1;
        }

        public int plain(int x) {
            return x + 1;
        }
    }

    /**
     * {@code default} (log injection on, with Logback on the class path; the Agent writer), or
     * comma-separated {@code key=value} settings over the defaults, as system properties.
     */
    @Param({"default", "dd.logs.injection=false", "dd.trace.writer=none"})
    public String settings;

    private WeldContainer container;
    private Beans beans;
    private int counter;

    @Setup
    public void setUp() {
        for (String[] setting : Settings.parse(settings)) {
            System.setProperty(setting[0], setting[1]);
        }
        container = new Weld().disableDiscovery()
                .addBeanClasses(TracerHolder.class, TracedInterceptor.class,
                        NoopInterceptor.class, Beans.class)
                .addInterceptor(NoopInterceptor.class)
                .initialize();
        beans = container.select(Beans.class).get();
    }

    @TearDown
    public void tearDown() {
        container.shutdown();
    }

    @Benchmark
    public int tracedCall() {
        return beans.traced(counter++);
    }

    @Benchmark
    public int noopInterceptorCall() {
        return beans.noop(counter++);
    }

    @Benchmark
    public int plainCall() {
        return beans.plain(counter++);
    }
}
