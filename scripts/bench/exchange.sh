#!/usr/bin/env bash
# `make bench-exchange`: token exchange's figures beside client_credentials' (AWS calls per request, the function's
# CPU per request, warm latency), in-process against the emulator by ExchangeFigures.java, with the template's
# C1-only JIT (docs/federation.md#figures).
#   scripts/bench/exchange.sh [REQUESTS per kind, default 200]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mvn -B -ntp -q -f "$root/pom.xml" -pl function -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >&2
cp="$root/function/target/classes:$root/function/target/test-classes:$(cat "$work/classpath.txt")"
javac -nowarn -cp "$cp" -d "$work" "$here/ExchangeFigures.java"
JAVA_TOOL_OPTIONS="${JIT_OPTIONS-"-XX:+TieredCompilation -XX:TieredStopAtLevel=1"}" \
  "$root/scripts/with-moto.sh" java -cp "$work:$cp" ExchangeFigures "${1:-200}"
