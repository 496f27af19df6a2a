#!/usr/bin/env bash
# `make bench-auth`: the function's own CPU per warm token for each client authentication (client secret,
# private_key_jwt, jwt-bearer grant) and token kind (Bearer, DPoP), measured in-process by AuthCpu.java over the
# project's in-memory store and a KMS stand-in, with the template's C1-only JIT (docs/performance.md).
#   scripts/bench/auth-cpu.sh [REQUESTS per combination, default 1000]
# JIT_OPTIONS replaces the template's "-XX:+TieredCompilation -XX:TieredStopAtLevel=1" (e.g. JIT_OPTIONS= for C2).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The test fakes (store, replay guard, proof and assertion makers) are the project's own, from function's tests.
mvn -B -ntp -q -f "$root/pom.xml" -pl function -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >&2
cp="$root/function/target/classes:$root/function/target/test-classes:$(cat "$work/classpath.txt")"
javac -nowarn -cp "$cp" -d "$work" "$here/AuthCpu.java"
JAVA_TOOL_OPTIONS="${JIT_OPTIONS-"-XX:+TieredCompilation -XX:TieredStopAtLevel=1"}" java -cp "$work:$cp" AuthCpu "${1:-1000}"
