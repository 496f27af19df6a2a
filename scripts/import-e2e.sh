#!/usr/bin/env bash
# Issue 19 end to end (docs/migration.md): a Frontier database in a PostgreSQL of its own, rows made as Frontier makes
# them (compat/go/cmd/frontier-rows: Go's bcrypt at cost 14, JWK Sets, Frontier's key files), `tokenctl import
# frontier` into what `make run` starts, then the imported credentials against that server: Frontier's Go SDK
# assertion and golang.org/x/oauth2 (the compatibility suite's Go client) with an imported key file and secret; an
# imported secret with a + in a raw Basic header (as Frontier's clients send it) and in the body, before and after
# its upgrade; a disabled Frontier service user refused. One line per check, then `import-e2e: N passed, N failed`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
started=$SECONDS
work="$(mktemp -d)"
. "$root/scripts/postgres.sh"
. "$root/scripts/local-server.sh"
cleanup() { stop_local_server; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT

export GOTOOLCHAIN=local GOFLAGS=-mod=mod
(cd "$root/compat/go" && go build -o "$work/compat-go" . && go build -o "$work/frontier-rows" ./cmd/frontier-rows) \
  || { echo "import-e2e: building the Go clients failed" >&2; exit 1; }

start_postgres import-e2e
create_frontier_database frontier
mkdir "$work/rows"
# The six Go-made cost-14 pairs, one per service user (each also gets a key), so the rows cost no bcrypt here.
"$work/frontier-rows" -out "$work/rows" -users 6 -reuse "$root/compat/go/testdata/frontier-bcrypt-cost14.jsonl"
pg_sql frontier -f "$work/rows/rows.sql"

# A first use is a cost-14 bcrypt check, 1.3-1.5 s of CPU: on a loaded test machine that can pass the local server's
# 5 s response limit (Lambda's is the function's Timeout, 10 s), so this server gets 30 s.
start_local_server import-e2e \
  TOKENCTL_JAVA_OPTS="-Dsun.net.httpserver.maxRspTime=30 -Dsun.net.httpserver.maxReqTime=30 ${TOKENCTL_JAVA_OPTS:-}"
tokenctl() { AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" "$root/tokenctl" "$@"; }

passed=0 failed=0
check() {
  local name=$1
  shift
  if out="$("$@" 2>&1)"; then
    echo "PASS $name"; passed=$((passed + 1))
  else
    echo "FAIL $name: $(tail -c 400 <<<"$out" | tr '\n' ' ')"; failed=$((failed + 1))
  fi
}

# Secrets with a +, which a form-decoder turns into a space: the ones Frontier's raw Basic header breaks.
mapfile -t plus_secrets < <(grep -l '+' "$work"/rows/secret-*.txt)
((${#plus_secrets[@]} >= 3)) || { echo "import-e2e: the fixture pairs need three secrets with a +" >&2; exit 1; }
client_id_of() { basename "$1" .txt | sed 's/^secret-//'; }
raw_basic_id="$(client_id_of "${plus_secrets[0]}")"; raw_basic_secret="$(cat "${plus_secrets[0]}")"
body_id="$(client_id_of "${plus_secrets[1]}")"; body_secret="$(cat "${plus_secrets[1]}")"
disabled_id="$(client_id_of "${plus_secrets[2]}")"; disabled_secret="$(cat "${plus_secrets[2]}")"
pg_sql frontier -c "UPDATE serviceusers SET state = 'disabled' WHERE id = (SELECT serviceuser_id FROM serviceuser_credentials WHERE id = '$disabled_id')"
key_file="$(grep -l "$(pg_sql frontier -At -c "SELECT serviceuser_id FROM serviceuser_credentials WHERE id = '$raw_basic_id'")" "$work"/rows/key-*.json)"

summary_is() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); exec("assert " + sys.argv[2] + ", s")' "$@"; }
import_dry() { tokenctl import frontier --database-url "$pg_url_base/frontier" --dry-run >"$work/dry.json" 2>"$work/dry.err" \
  && summary_is "$work/dry.json" 's["dry_run"] and s["service_users"]["imported"] == 6'; }
import_all() { tokenctl import frontier --database-url "$pg_url_base/frontier" --json >"$work/import.json" \
  && summary_is "$work/import.json" '(s["service_users"]["imported"], s["secrets"]["imported"], s["keys"]["imported"]) == (6, 6, 6)'; }
import_again() { tokenctl import frontier --database-url "$pg_url_base/frontier" --json >"$work/again.json" \
  && summary_is "$work/again.json" 's["secrets"]["upgraded"] == 3 and s["secrets"]["imported"] == 0 and s["service_users"]["different"] == 0'; }

check "import frontier --dry-run says 6 service users to import" import_dry
# Had the dry run written anything, these would count as existing.
check "import frontier imports 6 service users, 6 secrets, 6 keys" import_all

status_of() { curl -s --max-time 60 -o /dev/null -w '%{http_code}' "$@" "$base/v1beta1/auth/token"; }
raw_basic() { printf 'Authorization: Basic %s' "$(printf '%s:%s' "$1" "$2" | base64 -w0)"; }
expect() { local want=$1; shift; local got; got="$(status_of "$@")"; [[ "$got" == "$want" ]] || { echo "got $got, want $want"; return 1; }; }

check "imported secret, raw Basic header (+ not form-encoded), first use (bcrypt, upgrade)" \
  expect 200 -H "$(raw_basic "$raw_basic_id" "$raw_basic_secret")" -d grant_type=client_credentials
check "same secret, raw Basic header, after the upgrade" \
  expect 200 -H "$(raw_basic "$raw_basic_id" "$raw_basic_secret")" -d grant_type=client_credentials
check "same secret in the body, after the upgrade" \
  expect 200 --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$raw_basic_id" --data-urlencode "client_secret=$raw_basic_secret"
check "another imported secret in the body, first use" \
  expect 200 --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$body_id" --data-urlencode "client_secret=$body_secret"
check "that secret in a raw Basic header after its upgrade" \
  expect 200 -H "$(raw_basic "$body_id" "$body_secret")" -d grant_type=client_credentials
check "a wrong secret for an imported client id is refused" \
  expect 401 -H "$(raw_basic "$body_id" "$(tr 'A-Za-z' 'B-ZAb-za' <<<"$body_secret")")" -d grant_type=client_credentials
check "a disabled Frontier service user's imported secret is refused" \
  expect 403 --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$disabled_id" --data-urlencode "client_secret=$disabled_secret"
# Three upgraded: the two above, and the disabled user's (its secret was right; the state refuses it after the check).
check "a rerun of the import keeps the upgraded secrets upgraded" import_again

# The compatibility suite's Go client with an imported key file and an imported (already upgraded) secret: Frontier's
# Go SDK assertion in the body and as Bearer, x/oauth2's client credentials, jwx verification as Frontier's middleware.
COMPAT_BASE="$base" COMPAT_KEY_FILE="$key_file" COMPAT_CLIENT_ID="$raw_basic_id" COMPAT_CLIENT_SECRET="$raw_basic_secret" \
  COMPAT_ALG=RS256 "$work/compat-go" >"$work/go.out" 2>&1 || true
while IFS= read -r line; do
  case "$line" in
    PASS\ *) echo "PASS imported key/secret: ${line#PASS }"; passed=$((passed + 1)) ;;
    FAIL\ *) echo "FAIL imported key/secret: ${line#FAIL }"; failed=$((failed + 1)) ;;
  esac
done <"$work/go.out"
grep -q '^PASS go/frontier-sdk-assertion' "$work/go.out" || { echo "FAIL the Go client ran no Frontier SDK check: $(tail -c 400 "$work/go.out")"; failed=$((failed + 1)); }
grep -q 'legacy_hash_upgraded' "$run_out" && { echo "PASS the upgrades are logged as legacy_hash_upgraded"; passed=$((passed + 1)); } \
  || { echo "FAIL no legacy_hash_upgraded line in the server's log"; failed=$((failed + 1)); }

echo "import-e2e: $((SECONDS - started)) s"
echo "import-e2e: $passed passed, $failed failed"
((failed == 0))
