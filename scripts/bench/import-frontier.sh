#!/usr/bin/env bash
# Issue 19's figures (docs/migration.md#figures): `tokenctl import frontier` of IMPORT_USERS service users (default
# 10,000), each with a secret and a key (so twice as many credentials), from a PostgreSQL of its own into what `make
# run` starts (the emulator); then the first use of imported secrets (a cost-14 bcrypt check and the hash's
# replacement) against their second use (native), over the local server. Rows are made quickly: the six Go-made
# cost-14 pairs and 8 RSA keys are reused (every row keeps its own ids). Prints the figures and writes
# target/bench/import-frontier.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
users="${IMPORT_USERS:-10000}"
uses="${IMPORT_FIRST_USES:-5}"
work="$(mktemp -d)"
. "$root/scripts/postgres.sh"
. "$root/scripts/local-server.sh"
cleanup() { stop_local_server; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT

export GOTOOLCHAIN=local GOFLAGS=-mod=mod
(cd "$root/compat/go" && go build -o "$work/frontier-rows" ./cmd/frontier-rows)
start_postgres bench-import
create_frontier_database frontier
mkdir "$work/rows"
"$work/frontier-rows" -out "$work/rows" -users "$users" -keys 8 -files=false \
  -reuse "$root/compat/go/testdata/frontier-bcrypt-cost14.jsonl"
pg_sql frontier -f "$work/rows/rows.sql"
echo "bench-import: $(pg_sql frontier -At -c 'SELECT count(*) FROM serviceusers') service users," \
  "$(pg_sql frontier -At -c 'SELECT count(*) FROM serviceuser_credentials') credentials in Frontier's tables"

start_local_server bench-import \
  TOKENCTL_JAVA_OPTS="-Dsun.net.httpserver.maxRspTime=30 -Dsun.net.httpserver.maxReqTime=30 ${TOKENCTL_JAVA_OPTS:-}"
tokenctl() { AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" "$root/tokenctl" "$@"; }

t0=$(date +%s.%N)
tokenctl import frontier --database-url "$pg_url_base/frontier" --json >"$work/import.json"
t1=$(date +%s.%N)
t2=$t1
tokenctl import frontier --database-url "$pg_url_base/frontier" --json >"$work/again.json"
t3=$(date +%s.%N)

# First and second use of a few imported secrets, each in the body (wall time at the client, server on loopback).
mapfile -t pairs < <(pg_sql frontier -At -F ' ' -c "SELECT id, secret_hash FROM serviceuser_credentials WHERE type = 'client_credential' LIMIT $uses")
secret_of() { python3 -c 'import json,sys
for line in open(sys.argv[1]):
    p = json.loads(line)
    if p["hash"] == sys.argv[2]: print(p["secret"]); break' "$root/compat/go/testdata/frontier-bcrypt-cost14.jsonl" "$1"; }
first=() second=()
for pair in "${pairs[@]}"; do
  id=${pair%% *}; hash=${pair#* }; secret="$(secret_of "$hash")"
  for round in first second; do
    t="$(curl -s --max-time 60 -o /dev/null -w '%{http_code} %{time_total}' --data-urlencode grant_type=client_credentials \
      --data-urlencode "client_id=$id" --data-urlencode "client_secret=$secret" "$base/v1beta1/auth/token")"
    [[ ${t% *} == 200 ]] || { echo "bench-import: $round use of $id answered ${t% *}" >&2; exit 1; }
    if [[ $round == first ]]; then first+=("${t#* }"); else second+=("${t#* }"); fi
  done
done

mkdir -p "$root/target/bench"
python3 - "$work/import.json" "$work/again.json" "$t0" "$t1" "$t2" "$t3" "${first[*]}" "${second[*]}" \
  "$root/target/bench/import-frontier.json" <<'PY'
import json, statistics, sys
first_run, again, t0, t1, t2, t3, first, second, out = sys.argv[1:]
s, a = json.load(open(first_run)), json.load(open(again))
secs, again_secs = float(t1) - float(t0), float(t3) - float(t2)
users = s["service_users"]["imported"]
first = [float(x) * 1000 for x in first.split()]
second = [float(x) * 1000 for x in second.split()]
figures = {
    "service_users": users, "credentials": s["secrets"]["imported"] + s["keys"]["imported"],
    "import_seconds": round(secs, 1), "service_users_per_second": round(users / secs, 1),
    "rerun_seconds": round(again_secs, 1), "rerun_existing": a["service_users"]["existing"],
    "first_use_ms_median": round(statistics.median(first)), "first_use_ms": [round(x) for x in first],
    "second_use_ms_median": round(statistics.median(second)), "second_use_ms": [round(x) for x in second],
}
json.dump(figures, open(out, "w"), indent=2)
print(f"bench-import: imported {users} service users and {figures['credentials']} credentials in {secs:.1f} s "
      f"({users / secs:.0f} service users/s, tokenctl process start and the snapshot read included)")
print(f"bench-import: rerun (all existing, compared) {again_secs:.1f} s")
print(f"bench-import: first use of an imported secret (bcrypt cost 14 + replace) median {statistics.median(first):.0f} ms; "
      f"second use (native) median {statistics.median(second):.0f} ms")
PY
