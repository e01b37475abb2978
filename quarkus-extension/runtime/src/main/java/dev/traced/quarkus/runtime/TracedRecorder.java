package dev.traced.quarkus.runtime;

import dev.traced.internal.cdi.ContainerSettings;
import dev.traced.internal.cdi.TracerHolder;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InjectableBean;
import io.quarkus.arc.InjectableContext;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.annotations.Recorder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Runtime half of the extension's build steps: what the tracer is given, and its shutdown flush. */
@Recorder
public class TracedRecorder {

    static final String RESOURCES_IGNORE = "dd.trace.resources.ignore";

    private final RuntimeValue<TracedRuntimeConfig> config;

    public TracedRecorder(RuntimeValue<TracedRuntimeConfig> config) {
        this.config = config;
    }

    /**
     * The settings the tracer is built with: Quarkus' own switches turned into dd-trace-java keys, and
     * Quarkus' managed executor for the writer.
     *
     * @param executor Quarkus' main executor (it also schedules)
     */
    public Supplier<ContainerSettings> containerSettings(ScheduledExecutorService executor) {
        TracedRuntimeConfig runtimeConfig = config.getValue();
        org.eclipse.microprofile.config.Config mpConfig = ConfigProvider.getConfig();
        Map<String, String> overrides = new HashMap<>();
        if (!runtimeConfig.enabled()) {
            overrides.put("dd.trace.enabled", "false");
        }
        String nonApplicationPaths = nonApplicationPathPattern(
                mpConfig.getOptionalValue("quarkus.http.root-path", String.class).orElse("/"),
                mpConfig.getOptionalValue("quarkus.http.non-application-root-path", String.class).orElse("q"));
        if (runtimeConfig.suppressNonApplicationUris() && nonApplicationPaths != null) {
            String configured = mpConfig.getOptionalValue(RESOURCES_IGNORE, String.class).orElse("");
            overrides.put(RESOURCES_IGNORE, appendPattern(configured, nonApplicationPaths));
        }
        ContainerSettings settings = new ContainerSettings(overrides, executor);
        return () -> settings;
    }

    /**
     * A regular expression for the non-application endpoints and everything under them, resolved the
     * way Quarkus resolves {@code quarkus.http.non-application-root-path} (relative to the HTTP root
     * path unless it starts with a slash). Null when they are served at the root itself: suppressing
     * that would suppress the whole application.
     */
    static String nonApplicationPathPattern(String rootPath, String nonApplicationRoot) {
        String path = nonApplicationRoot.startsWith("/") ? nonApplicationRoot
                : (rootPath.endsWith("/") ? rootPath : rootPath + "/") + nonApplicationRoot;
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            return null;
        }
        return "^" + Pattern.quote(path) + "(/.*)?$";
    }

    static String appendPattern(String configured, String pattern) {
        String trimmed = configured == null ? "" : configured.trim();
        return trimmed.isEmpty() ? pattern : trimmed + "," + pattern;
    }

    /**
     * Flushes and closes the tracer when the application stops (and before each dev-mode reload), while
     * the executor the writer runs on is still up. A tracer that was never started is left alone.
     */
    public void closeTracerOnShutdown(ShutdownContext shutdown) {
        shutdown.addShutdownTask(TracedRecorder::closeStartedTracer);
    }

    private static void closeStartedTracer() {
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            return;
        }
        InjectableBean<TracerHolder> bean = container.instance(TracerHolder.class).getBean();
        InjectableContext context = container.getActiveContext(ApplicationScoped.class);
        TracerHolder holder = bean == null || context == null ? null : context.get(bean);
        if (holder != null) {
            holder.tracer().close();
        }
    }
}
