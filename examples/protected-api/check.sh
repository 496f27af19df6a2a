#!/usr/bin/env bash
# Checks examples/protected-api: `sam validate --lint` on its template, then what `make run` serves (on free ports,
# with TOKEN_ISSUER set to its own URL, as a deployment sets it to its PUBLIC_BASE_URL) gives tokens that the
# template's JWT authorizer, as authorizer.py applies AWS's documented rules, lets through for the right resource and
# scope only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sam validate --lint -t "$here/template.yaml" >/dev/null
python3 -c 'import jwt, cryptography, yaml' 2>/dev/null \
  || { echo "protected-api: PyJWT or PyYAML missing (scripts/install-tools.sh installs them)" >&2; exit 1; }

export AWS_REGION="${AWS_REGION:-us-east-1}" AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
port="$("$root/scripts/moto.sh" free-port)"
moto_port="$("$root/scripts/moto.sh" free-port)"
issuer="http://127.0.0.1:$port"
out="$(mktemp)"
work="$(mktemp -d)"
env -u AWS_ENDPOINT_URL PORT="$port" MOTO_PORT="$moto_port" TOKEN_ISSUER="$issuer" "$root/scripts/run-local.sh" \
  >"$out" 2>&1 &
run_pid=$!
stop() { kill -TERM "$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; rm -rf "$out" "$work"; }
trap stop EXIT
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "$issuer/.well-known/jwks.json" 2>/dev/null && break
  kill -0 "$run_pid" 2>/dev/null || { echo "protected-api: the local server exited:" >&2; cat "$out" >&2; exit 1; }
  sleep 0.2
done

export AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port"
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
user="$("$root/tokenctl" serviceuser create --org orders-team --title "orders client" \
  --scopes "orders:read orders:write" --audiences "https://orders.example.com https://billing.example.com" | field id)"
"$root/tokenctl" secret create "$user" >"$work/secret.json"
"$root/tokenctl" key create "$user" >"$work/key.json"
ISSUER_URL="$issuer" \
  SCOPED_CLIENT_ID="$(field client_id <"$work/secret.json")" \
  SCOPED_CLIENT_SECRET="$(field client_secret <"$work/secret.json")" \
  SCOPED_KEY_FILE="$work/key.json" \
  DEMO_CLIENT_ID="$(field client_id <"$root/.run/demo-secret.json")" \
  DEMO_CLIENT_SECRET="$(field client_secret <"$root/.run/demo-secret.json")" \
  python3 "$here/check.py"
