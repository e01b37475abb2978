package dev.traced.quarkus.deployment;

import dev.traced.Traced;
import dev.traced.internal.context.OpenTracers;
import dev.traced.internal.correlation.LogCorrelation;
import dev.traced.internal.trace.ApplicationTracer;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.RuntimeInitializedClassBuildItem;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.DotName;

import java.util.Set;
import java.util.TreeSet;

/**
 * Native-image metadata for what the library does reflectively. (A native build cannot run on the
 * project's build machines; this is declared so that one works elsewhere.)
 */
public final class TracedNativeProcessor {

    private static final DotName TRACED = DotName.createSimple(Traced.class);
    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");

    /**
     * The library reads MicroProfile Config reflectively, so that it has no hard dependency on it.
     */
    @BuildStep
    ReflectiveClassBuildItem registerConfigLookupForReflection() {
        return ReflectiveClassBuildItem.builder(
                        "org.eclipse.microprofile.config.ConfigProvider",
                        "org.eclipse.microprofile.config.Config")
                .methods()
                .reason("traced reads MicroProfile Config reflectively")
                .build();
    }

    /**
     * The interceptor resolves the effective {@code @Traced} (method, class, superclasses) by reading
     * annotations reflectively, so classes that carry it keep their annotation metadata.
     */
    @BuildStep
    void registerTracedClassesForReflection(CombinedIndexBuildItem index,
                                            BuildProducer<ReflectiveClassBuildItem> reflective) {
        registerDeclaringClasses(index, TRACED, "@Traced is resolved reflectively by the traced interceptor",
                reflective);
    }

    /**
     * The server filter reads a resource's {@code @Path} templates (and {@code @DoNotTrace}) reflectively
     * to name its span after the route.
     */
    @BuildStep
    void registerResourceClassesForReflection(CombinedIndexBuildItem index,
                                              BuildProducer<ReflectiveClassBuildItem> reflective) {
        registerDeclaringClasses(index, PATH, "the traced server filter names spans from @Path templates",
                reflective);
    }

    /**
     * Live tracers are kept in static slots (for JAX-RS providers created outside CDI, for the
     * context-propagation providers, and for log correlation's per-line look-up): those classes must
     * not be initialised into the image heap at build time.
     */
    @BuildStep
    void initializeStaticTracerSlotsAtRuntime(BuildProducer<RuntimeInitializedClassBuildItem> runtimeInitialized) {
        runtimeInitialized.produce(new RuntimeInitializedClassBuildItem(ApplicationTracer.class.getName()));
        runtimeInitialized.produce(new RuntimeInitializedClassBuildItem(OpenTracers.class.getName()));
        runtimeInitialized.produce(new RuntimeInitializedClassBuildItem(LogCorrelation.class.getName()));
        runtimeInitialized.produce(new RuntimeInitializedClassBuildItem(
                "dev.traced.internal.correlation.JBossLogManagerCorrelation"));
    }

    private static void registerDeclaringClasses(CombinedIndexBuildItem index, DotName annotation, String reason,
                                                 BuildProducer<ReflectiveClassBuildItem> reflective) {
        Set<String> classes = new TreeSet<>();
        for (AnnotationInstance instance : index.getIndex().getAnnotations(annotation)) {
            AnnotationTarget target = instance.target();
            if (target.kind() == AnnotationTarget.Kind.CLASS) {
                classes.add(target.asClass().name().toString());
            } else if (target.kind() == AnnotationTarget.Kind.METHOD) {
                classes.add(target.asMethod().declaringClass().name().toString());
            }
        }
        if (!classes.isEmpty()) {
            reflective.produce(ReflectiveClassBuildItem.builder(classes.toArray(String[]::new))
                    .methods()
                    .reason(reason)
                    .build());
        }
    }
}
