#!/usr/bin/env bash
# Which classes a container's start and first token load, the function against the floor (scripts/bench/floor),
# each in a fresh JVM with the template's C1-only JIT, against moto provisioned as `make rie-test` provisions it;
# prints the count by package family for each, and the families the function loads more of (KEEP_LOGS=DIR keeps the
# -Xlog:class+load logs). Needs `sam build` and
# `mvn package` output (make bench builds both). Run under scripts/with-moto.sh.
#   scripts/with-moto.sh scripts/bench/first-request-classes.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-$root/.aws-sam/build}"
event="$root/events/token-client-credentials-form.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
layer="$build/DependencyLayer/java/lib/*"

export TABLE_NAME="classes-$RANDOM$RANDOM" SIGNING_KEY_ID="alias/classes-$RANDOM$RANDOM"
java -cp "$root/e2e/target/test-classes:$root/admin/target/test-classes:$root/function/target/test-classes:$root/admin/target/tokenctl.jar" \
  dev.tokenissuer.e2e.SampleEventsFixture RSA_2048 >/dev/null
javac -nowarn -cp "$layer" -d "$work/floor" "$here"/floor/floor/*.java
javac -nowarn -cp "$layer" -d "$work/main" "$here/FirstRequest.java"

run() { # name handler-class classpath
  java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xlog:class+load=info:file="$work/$1.log" \
    -cp "$work/main:$3:$layer" FirstRequest "$2" "$event" >"$work/$1.out" 2>"$work/$1.err"
  grep -q '"statusCode":200' "$work/$1.out" || { echo "$1: no token:" >&2; cat "$work/$1.out" "$work/$1.err" >&2; exit 1; }
}
run function dev.tokenissuer.lambda.TokenIssuerHandler "$build/TokenFunction"
run floor floor.FloorHandler "$work/floor"

if [[ -n "${KEEP_LOGS:-}" ]]; then mkdir -p "$KEEP_LOGS" && cp "$work"/*.log "$KEEP_LOGS/"; fi
python3 - "$work/function.log" "$work/floor.log" <<'PY'
import collections, re, sys
def families(path):
    counts = collections.Counter()
    for line in open(path):
        m = re.search(r"\] ([\w.$]+) source:", line)
        if not m:
            continue
        parts = m.group(1).split(".")
        counts[".".join(parts[:3]) if parts[0] in ("software", "com", "org", "dev") else ".".join(parts[:2])] += 1
    return counts
function, floor = families(sys.argv[1]), families(sys.argv[2])
print(f"classes loaded by the first token: function {sum(function.values())}, floor {sum(floor.values())}")
print(f"{'family':45} {'function':>9} {'floor':>7} {'more':>6}")
for family, count in sorted(function.items(), key=lambda kv: kv[1] - floor.get(kv[0], 0), reverse=True)[:25]:
    print(f"{family:45} {count:9} {floor.get(family, 0):7} {count - floor.get(family, 0):6}")
PY
