package dev.traced.quarkus.deployment;

import dev.traced.Traced;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code @Traced} on a private method can never be intercepted: the build fails and names the
 * annotation and the method (ArC's {@code quarkus.arc.fail-on-intercepted-private-method}, on by default).
 */
class TracedPrivateMethodTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.app()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class, Kitchen.class))
            .assertException(e -> {
                String message = messages(e);
                if (!message.contains("@Traced") || !message.contains("Kitchen.slice()")
                        || !message.contains("because the method is private")) {
                    fail("the build error must name the private @Traced method: " + message);
                }
            });

    @Test
    void buildFails() {
        fail("the application must not start");
    }

    static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                all.append(suppressed).append('\n');
            }
        }
        return all.toString();
    }

    @ApplicationScoped
    public static class Kitchen {

        public String makeSandwich() {
            return slice();
        }

        @Traced
        private String slice() {
            return "sliced";
        }
    }
}
