package dev.traced.quarkus.deployment;

import dev.traced.Tracer;
import dev.traced.internal.cdi.ContainerSettings;
import dev.traced.internal.cdi.TracedInterceptor;
import dev.traced.internal.cdi.TracerHolder;
import dev.traced.quarkus.runtime.MutinyResultType;
import dev.traced.quarkus.runtime.TracedRecorder;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.ExecutorBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.IndexDependencyBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;
import jakarta.inject.Singleton;

/**
 * Build steps of the traced extension for CDI: the beans, the tracer's settings and its shutdown.
 * REST integration is in {@link TracedRestProcessor}, native-image metadata in
 * {@link TracedNativeProcessor}.
 */
public final class TracedProcessor {

    static final String FEATURE = "traced";
    static final String LIBRARY_GROUP = "dev.traced";
    static final String LIBRARY_ARTIFACT = "traced";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /** The library jar is a bean archive anyway (beans.xml); indexing it explicitly keeps that true. */
    @BuildStep
    IndexDependencyBuildItem indexTracedLibrary() {
        return new IndexDependencyBuildItem(LIBRARY_GROUP, LIBRARY_ARTIFACT);
    }

    /**
     * The interceptor, the tracer's holder and the {@code @Traced} resolver. Unremovable: ArC would
     * otherwise drop the holder in an application that only uses {@code @Traced}.
     */
    @BuildStep
    AdditionalBeanBuildItem registerTracingBeans() {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(TracedInterceptor.class, TracerHolder.class)
                .setUnremovable()
                .build();
    }

    /** {@code Tracer} stays available to programmatic lookup ({@code Arc.container().instance(...)}). */
    @BuildStep
    UnremovableBeanBuildItem keepTracerBeanForLookup() {
        return UnremovableBeanBuildItem.beanTypes(Tracer.class);
    }

    /** Uni/Multi results end their span on termination, when the application has Mutiny. */
    @BuildStep
    void registerMutinyResultType(BuildProducer<AdditionalBeanBuildItem> beans) {
        if (QuarkusClassLoader.isClassPresentAtRuntime("io.smallrye.mutiny.Uni")) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(MutinyResultType.class));
        }
    }

    /** Hands the tracer Quarkus' switches and Quarkus' managed executor, resolved at startup. */
    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    SyntheticBeanBuildItem provideContainerSettings(TracedRecorder recorder, ExecutorBuildItem executor) {
        return SyntheticBeanBuildItem.configure(ContainerSettings.class)
                .scope(Singleton.class)
                .unremovable()
                .setRuntimeInit()
                .supplier(recorder.containerSettings(executor.getExecutorProxy()))
                .done();
    }

    /**
     * Flushes and closes the tracer at shutdown and before each dev-mode reload. Consuming the
     * executor item records this task after the executor's own, so it runs before the executor stops.
     */
    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void closeTracerOnShutdown(TracedRecorder recorder, ShutdownContextBuildItem shutdown,
                               ExecutorBuildItem executor) {
        recorder.closeTracerOnShutdown(shutdown);
    }
}
