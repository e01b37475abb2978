package dev.traced.quarkus.deployment;

import io.quarkus.builder.BuildChainBuilder;
import io.quarkus.builder.BuildContext;
import io.quarkus.builder.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.RuntimeInitializedClassBuildItem;
import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native-image metadata the extension declares (a native build cannot run here): captured from
 * the build items of a real build of a traced application.
 */
class TracedNativeMetadataTest {

    private static final String REFLECTIVE = "traced.test.reflective";
    private static final String RUNTIME_INIT = "traced.test.runtime-init";

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, SandwichService.class, KitchenResource.class))
            .addBuildChainCustomizer(captureNativeMetadata());

    private static Consumer<BuildChainBuilder> captureNativeMetadata() {
        return chain -> chain.addBuildStep(new BuildStep() {
            @Override
            public void execute(BuildContext context) {
                Set<String> reflective = new TreeSet<>();
                for (ReflectiveClassBuildItem item : context.consumeMulti(ReflectiveClassBuildItem.class)) {
                    if (item.isMethods()) {
                        reflective.addAll(item.getClassNames());
                    }
                }
                Set<String> runtimeInit = new TreeSet<>();
                List<RuntimeInitializedClassBuildItem> items = context.consumeMulti(RuntimeInitializedClassBuildItem.class);
                items.forEach(item -> runtimeInit.add(item.getClassName()));
                System.setProperty(REFLECTIVE, String.join(",", reflective));
                System.setProperty(RUNTIME_INIT, String.join(",", runtimeInit));
                context.produce(new FeatureBuildItem("traced-native-metadata-probe"));
            }
        }).consumes(ReflectiveClassBuildItem.class).consumes(RuntimeInitializedClassBuildItem.class)
                .produces(FeatureBuildItem.class).build();
    }

    @Test
    void tracedBeansResourcesAndConfigLookupAreReflective() {
        Set<String> reflective = Set.of(System.getProperty(REFLECTIVE, "").split(","));
        assertTrue(reflective.contains(SandwichService.class.getName()), reflective.toString());
        assertTrue(reflective.contains(KitchenResource.class.getName()), reflective.toString());
        assertTrue(reflective.contains("org.eclipse.microprofile.config.ConfigProvider"), reflective.toString());
    }

    @Test
    void staticTracerSlotsAreInitialisedAtRuntime() {
        String runtimeInit = System.getProperty(RUNTIME_INIT, "");
        Set<String> classes = Set.of(runtimeInit.split(","));
        assertTrue(classes.contains("dev.traced.internal.trace.ApplicationTracer"), runtimeInit);
        assertTrue(classes.contains("dev.traced.internal.context.OpenTracers"), runtimeInit);
    }
}
