package dev.traced.benchmarks;

import ch.qos.logback.classic.Logger;
import dev.traced.CloseableTracer;
import dev.traced.Span;
import dev.traced.TracerBuilder;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JMH rows of SpanBenchmark, OtelSpanBenchmark, InterceptorBenchmark and LoggingBenchmark, measured in CPU
 * time of the measuring thread rather than wall-clock time, for a shared machine where other work
 * takes the cores: a thread that is descheduled is not charged. The cases run interleaved, round after
 * round, each on a fresh tracer; the figure is the median over the rounds. Work done on other threads
 * (the Agent writer's task) is not counted here; JMH's rows count it.
 *
 * <p>The {@code @Traced} rows run InterceptorBenchmark's beans in a fresh Weld container per round,
 * the tracer configured through system properties as a deployed application's would be.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.traced.benchmarks.CpuTimeRun [rounds] [opsPerRound] [case regex]</pre>
 */
public final class CpuTimeRun {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String OTEL = "OpenTelemetry SDK span start+makeCurrent+end (dropping processor)";
    private static long sink;

    private CpuTimeRun() {
    }

    /** One measured case: set up, run {@code ops} operations, tear down. */
    interface Case {
        AutoCloseable setUp() throws Exception;

        void op();
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Pattern only = Pattern.compile(args.length > 2 ? args[2] : ".*");
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("span start+finish, default (injection on, Agent writer)", span("default"));
        cases.put("span start+finish, dd.logs.injection=false", span("dd.logs.injection=false"));
        cases.put("span start+finish, dd.trace.writer=none", span("dd.trace.writer=none"));
        cases.put(OTEL, otel());
        cases.put("log line, no span (injection on)", logLine(false, "true"));
        cases.put("log line, in a span (injection on)", logLine(true, "true"));
        cases.put("log line, in a span, dd.logs.injection=false", logLine(true, "false"));
        cases.put("@Traced call in Weld, default (injection on, Agent writer)", weld("default", Call.TRACED));
        cases.put("@Traced call in Weld, dd.trace.writer=none", weld("dd.trace.writer=none", Call.TRACED));
        cases.put("Weld no-op interceptor call", weld("default", Call.NOOP));
        cases.put("plain bean call (client proxy only)", weld("default", Call.PLAIN));
        cases.keySet().removeIf(name -> !name.equals(OTEL) && !only.matcher(name).find());
        Map<String, List<Double>> results = new LinkedHashMap<>();
        cases.keySet().forEach(name -> results.put(name, new ArrayList<>()));
        for (int round = -1; round < rounds; round++) { // round -1 warms every case up
            for (Map.Entry<String, Case> entry : cases.entrySet()) {
                double nsPerOp = measure(entry.getValue(), round < 0 ? ops / 2 : ops);
                if (round >= 0) {
                    results.get(entry.getKey()).add(nsPerOp);
                }
            }
        }
        double otel = median(results.get(OTEL));
        for (Map.Entry<String, List<Double>> entry : results.entrySet()) {
            double median = median(entry.getValue());
            System.out.printf("%-70s %8.1f ns CPU/op  (%.2fx OTel)  rounds %s%n", entry.getKey(), median,
                    median / otel, entry.getValue().stream().map(v -> String.format("%.0f", v)).toList());
        }
        System.out.println(sink == 42 ? "" : " ");
    }

    private static double measure(Case c, int ops) throws Exception {
        try (AutoCloseable state = c.setUp()) {
            for (int i = 0; i < ops / 5; i++) {
                c.op();
            }
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                c.op();
            }
            return (double) (THREADS.getCurrentThreadCpuTime() - start) / ops;
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private static Case span(String settings) {
        return new Case() {
            CloseableTracer tracer;

            @Override
            public AutoCloseable setUp() {
                TracerBuilder builder = TracerBuilder.create().ignoreEnvironment().config("dd.service", "bench");
                for (String[] setting : Settings.parse(settings)) {
                    builder.config(setting[0], setting[1]);
                }
                tracer = builder.build();
                return tracer;
            }

            @Override
            public void op() {
                tracer.trace("bench.op").finish();
            }
        };
    }

    private static Case otel() {
        return new Case() {
            SdkTracerProvider provider;
            io.opentelemetry.api.trace.Tracer tracer;

            @Override
            public AutoCloseable setUp() {
                provider = SdkTracerProvider.builder().addSpanProcessor(new OtelSpanBenchmark.DroppingProcessor()).build();
                tracer = provider.get("bench");
                return provider;
            }

            @Override
            public void op() {
                io.opentelemetry.api.trace.Span span = tracer.spanBuilder("bench.op").startSpan();
                try (Scope scope = span.makeCurrent()) {
                    sink++;
                } finally {
                    span.end();
                }
            }
        };
    }

    private static Case logLine(boolean inSpan, String injection) {
        return new Case() {
            CloseableTracer tracer;
            Span span;
            NullStreamLog log;
            Logger logger;
            long counter;

            @Override
            public AutoCloseable setUp() {
                log = new NullStreamLog("bench.cpu");
                logger = log.logger();
                tracer = TracerBuilder.create().ignoreEnvironment().config("dd.service", "bench")
                        .config("dd.env", "prod").config("dd.version", "1.0").config("dd.trace.writer", "none")
                        .config("dd.logs.injection", injection).build();
                span = inSpan ? tracer.trace("bench.op") : null;
                return () -> {
                    if (span != null) {
                        span.finish();
                    }
                    log.close();
                    tracer.close();
                };
            }

            @Override
            public void op() {
                logger.info("order {} placed", counter++);
            }
        };
    }

    /** Which of InterceptorBenchmark's bean methods a Weld case calls. */
    private enum Call { TRACED, NOOP, PLAIN }

    private static Case weld(String settings, Call call) {
        return new Case() {
            InterceptorBenchmark.Beans beans;
            int counter;

            @Override
            public AutoCloseable setUp() {
                List<String[]> properties = new ArrayList<>(Settings.parse(settings));
                properties.add(new String[] {"dd.service", "bench"});
                for (String[] property : properties) {
                    System.setProperty(property[0], property[1]);
                }
                WeldContainer container = new Weld().disableDiscovery()
                        .addBeanClasses(TracerHolder.class, TracedInterceptor.class,
                                InterceptorBenchmark.NoopInterceptor.class, InterceptorBenchmark.Beans.class)
                        .addInterceptor(InterceptorBenchmark.NoopInterceptor.class)
                        .initialize();
                beans = container.select(InterceptorBenchmark.Beans.class).get();
                return () -> {
                    container.shutdown();
                    for (String[] property : properties) {
                        System.clearProperty(property[0]);
                    }
                };
            }

            @Override
            public void op() {
                sink += switch (call) {
                    case TRACED -> beans.traced(counter++);
                    case NOOP -> beans.noop(counter++);
                    case PLAIN -> beans.plain(counter++);
                };
            }
        };
    }
}
