#!/usr/bin/env bash
# What the event model costs a cold start, measured more tightly than `make bench` can on a busy machine: each
# `sam build` output given runs EventFirstUse.java (the first event a fresh JVM reads and answers) in RUNS fresh JVMs,
# with the template's C1-only JIT, in turning order; prints medians (quartiles) of wall and CPU ms and classes loaded,
# and each build's paired difference to the first one.
#   scripts/bench/event-model.sh BASELINE_BUILD_DIR OTHER_BUILD_DIR... (e.g. .aws-sam/build of two commits)
# EVENT (default events/token-client-credentials-form.json), RUNS (default 15).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
event="${EVENT:-$root/events/token-client-credentials-form.json}"
runs="${RUNS:-15}"
(( $# >= 2 )) || { echo "usage: $0 BASELINE_BUILD_DIR OTHER_BUILD_DIR..." >&2; exit 2; }
builds=("$@")
classpath() { echo "$1/TokenFunction:$1/DependencyLayer/java/lib/*"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
javac -nowarn -cp "$(classpath "${builds[1]}")" -d "$work" "$here/EventFirstUse.java"
for ((run = 0; run < runs; run++)); do
  for ((k = 0; k < ${#builds[@]}; k++)); do
    b=$(( (run + k) % ${#builds[@]} ))
    echo "$run $b $(java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp "$work:$(classpath "${builds[$b]}")" \
      EventFirstUse "$event")"
  done
done > "$work/runs.txt"
python3 - "$work/runs.txt" "${builds[@]}" <<'PY'
import statistics, sys
runs, builds = {}, sys.argv[2:]
for line in open(sys.argv[1]):
    run, build, wall, cpu, classes, _ = line.split()
    runs.setdefault(run, {})[int(build)] = (int(wall) / 1000, int(cpu) / 1000, int(classes))
def q(values):
    v = sorted(values)
    return f"{statistics.median(v):.0f} ({v[len(v) // 4]:.0f}..{v[3 * len(v) // 4]:.0f})"
print(f"first event in a fresh JVM, {len(runs)} runs each: median (quartiles)")
for b, name in enumerate(builds):
    line = f"{name}: wall {q(r[b][0] for r in runs.values())} ms, CPU {q(r[b][1] for r in runs.values())} ms, " \
           f"classes {q(r[b][2] for r in runs.values())}"
    if b:
        line += f"; paired minus the first: wall {q(r[b][0] - r[0][0] for r in runs.values())} ms, " \
                f"CPU {q(r[b][1] - r[0][1] for r in runs.values())} ms, classes {q(r[b][2] - r[0][2] for r in runs.values())}"
    print(line)
PY
