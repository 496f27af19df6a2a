#!/usr/bin/env bash
# Issue 19: the function's CPU for checks of imported secrets' bcrypt hashes, and what the per-client-id budget lets
# an attacker who knows an imported client_id spend per hour (LegacyHashCpu.java; docs/migration.md#figures).
#   scripts/bench/legacy-hash-cpu.sh [CHECKS, default 5]
# JIT_OPTIONS replaces the template's "-XX:+TieredCompilation -XX:TieredStopAtLevel=1" (e.g. JIT_OPTIONS= for C2).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mvn -B -ntp -q -f "$root/pom.xml" -pl layers,function test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >&2
cp="$root/function/target/classes:$root/function/target/test-classes:$(cat "$work/classpath.txt")"
javac -nowarn -cp "$cp" -d "$work" "$here/LegacyHashCpu.java"
# FrontierHashes reads ../compat/go/testdata, relative to a module directory.
cd "$root/function"
JAVA_TOOL_OPTIONS="${JIT_OPTIONS-"-XX:+TieredCompilation -XX:TieredStopAtLevel=1"}" java -cp "$work:$cp" LegacyHashCpu "${1:-5}"
