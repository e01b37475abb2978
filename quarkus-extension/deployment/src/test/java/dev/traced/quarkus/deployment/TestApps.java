package dev.traced.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Test applications serve on 127.0.0.1 and a free port, so parallel builds never collide. Each
 * test adds this class to its application root: Quarkus re-runs the test class initializer there.
 */
final class TestApps {

    private TestApps() {
    }

    static QuarkusUnitTest app() {
        return new QuarkusUnitTest()
                .overrideConfigKey("quarkus.http.host", "127.0.0.1")
                .overrideConfigKey("quarkus.http.test-host", "127.0.0.1")
                .overrideConfigKey("quarkus.http.test-port", "0");
    }
}
