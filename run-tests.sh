#!/usr/bin/env bash
# Runs every test suite in the repository, in dependency order. This is the README's test command
# and what CI runs. Works on a fresh machine with only a JDK 17: ./mvnw fetches Maven itself.
set -euo pipefail
cd "$(dirname "$0")"
MVN=(./mvnw -B -ntp)

echo "== library (dev.traced:traced)"
"${MVN[@]}" install

echo "== BOM (dev.traced:traced-bom)"
"${MVN[@]}" -f bom/pom.xml install

echo "== docs samples (every code sample of README.md and docs/ compiles and matches its page)"
"${MVN[@]}" -f docs/samples/pom.xml verify

echo "== compatibility: Weld SE with traced and weld-se-core only (no Jakarta REST, MicroProfile, SLF4J)"
"${MVN[@]}" -f compat/weld-se-minimal/pom.xml verify

# Java 25: the library's own tests (the release-17 classes just built) on a JDK 25, then virtual
# threads (compat/java25, release 21). JAVA25_HOME wins over the default location.
JDK25="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ -x "$JDK25/bin/java" ] && "$JDK25/bin/java" -version 2>&1 | head -1 | grep -q 'version "25'; then
  echo "== Java 25 row: the library's test suite on $JDK25"
  JAVA_HOME="$JDK25" "${MVN[@]}" surefire:test
  echo "== Java 25 row: @Traced and tracer.wrap on virtual threads (compat/java25)"
  JAVA_HOME="$JDK25" "${MVN[@]}" -f compat/java25/pom.xml verify
else
  echo "== Java 25 row: SKIPPED (no JDK 25 found at $JDK25; set JAVA25_HOME)"
fi

echo "== compatibility: Jersey 4 + Weld SE, server and client, no RESTEasy (compat/jersey)"
"${MVN[@]}" -f compat/jersey/pom.xml verify

# GlassFish 8 needs Java 21+: it runs on the JDK 25 above (the build and the test stay on this JDK).
# The server zip is downloaded once into the local repository.
if [ -x "$JDK25/bin/java" ] && "$JDK25/bin/java" -version 2>&1 | head -1 | grep -q 'version "25'; then
  echo "== compatibility: GlassFish 8 (Jersey + Weld), the plain jar in a war"
  "${MVN[@]}" -f compat/glassfish/pom.xml verify -Dglassfish.java.home="$JDK25"
else
  echo "== compatibility: GlassFish 8 (Jersey + Weld): SKIPPED (no JDK 25 found at $JDK25; set JAVA25_HOME)"
fi

# Open Liberty 26 stops at Jakarta EE 10: the war runs there on this JDK 17. The runtime zip (352 MB)
# is downloaded once into the local repository.
echo "== compatibility: Open Liberty 26 (Jakarta EE 10: RESTEasy + Weld), the plain jar in a war"
"${MVN[@]}" -f compat/liberty/pom.xml verify

echo "== the W3C Trace Context harness' test service (compat/w3c-service; the harness itself is run by hand)"
"${MVN[@]}" -f compat/w3c-service/pom.xml verify

echo "== benchmarks compile"
"${MVN[@]}" -f benchmarks/pom.xml -DskipTests package

echo "== example (examples/sandwich)"
"${MVN[@]}" -f examples/sandwich/pom.xml verify

echo "== the README's plain CDI start (examples/hello-cdi), against a test Agent"
"${MVN[@]}" -f examples/hello-cdi/pom.xml verify

echo "== Quarkus extension (dev.traced:traced-quarkus)"
"${MVN[@]}" -f quarkus-extension/pom.xml install

echo "== Quarkus example (examples/quarkus-sandwich)"
"${MVN[@]}" -f examples/quarkus-sandwich/pom.xml verify

echo "== the README's Quarkus start (examples/hello-quarkus), against a test Agent"
"${MVN[@]}" -f examples/hello-quarkus/pom.xml verify

echo "== WildFly module, and its integration test on a real WildFly (wildfly-dist is downloaded once into the local repository)"
"${MVN[@]}" -f examples/wildfly-sandwich/pom.xml install
"${MVN[@]}" -f wildfly-module/pom.xml verify
