#!/usr/bin/env bash
# Runs the sandwich-shop example (examples/sandwich): builds the library and the example with ./mvnw,
# starts the shop on 127.0.0.1, sends it a few requests, prints each trace as a tree, and exits.
# With a Datadog Agent on 127.0.0.1:8126 (or DD_TRACE_AGENT_URL set) the traces are also sent to it.
# Extra Maven options can be given in MAVEN_ARGS (for example -o or -Dmaven.repo.local=...).
set -euo pipefail
cd "$(dirname "$0")"
MVN=(./mvnw -B -ntp -q)

echo "== building the library and the example (first run downloads dependencies)"
"${MVN[@]}" install -DskipTests
"${MVN[@]}" -f examples/sandwich/pom.xml package -DskipTests
"${MVN[@]}" -f examples/sandwich/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile=target/classpath.txt

echo "== running dev.traced.examples.sandwich.Main"
exec java -cp "examples/sandwich/target/classes:$(cat examples/sandwich/target/classpath.txt)" \
    dev.traced.examples.sandwich.Main
