#!/usr/bin/env bash
# `make load`: start what `make run` starts (on free ports, default settings), add a key to its demo service user with
# `tokenctl key create`, and drive the server with scripts/load.py: LOAD_CLIENTS concurrent clients (16) for
# LOAD_SECONDS (30). Fails on any error or any token that does not verify against the JWKS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python3 -c 'import jwt, cryptography' 2>/dev/null \
  || { echo "load: PyJWT missing (pip install 'pyjwt[crypto]'; scripts/install-tools.sh does)" >&2; exit 1; }

export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
port="$("$root/scripts/moto.sh" free-port)"
moto_port="$("$root/scripts/moto.sh" free-port)"
work="$(mktemp -d)"
env -u AWS_ENDPOINT_URL PORT="$port" MOTO_PORT="$moto_port" "$root/scripts/run-local.sh" >"$work/run.out" 2>&1 &
run_pid=$!
stop() { kill -TERM "$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; rm -rf "$work"; }
trap stop EXIT

for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/.well-known/jwks.json" 2>/dev/null; then break; fi
  if ! kill -0 "$run_pid" 2>/dev/null; then echo "load: make run exited:" >&2; cat "$work/run.out" >&2; exit 1; fi
  sleep 0.2
done

field() { sed -n "s/^ *$1: *\([^ ]*\).*/\1/p" "$work/run.out" | head -1; }
user_id="$(field 'Demo service user')"
client_id="$(field client_id)"
client_secret="$(field client_secret)"
[[ -n "$user_id" && -n "$client_id" && -n "$client_secret" ]] \
  || { echo "load: make run printed no demo credentials:" >&2; cat "$work/run.out" >&2; exit 1; }
(umask 077; AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" "$root/tokenctl" key create "$user_id" --title load \
  >"$work/key.json")

LOAD_CLIENT_ID="$client_id" LOAD_CLIENT_SECRET="$client_secret" python3 "$root/scripts/load.py" --port "$port" \
  --key-file "$work/key.json" --seconds "${LOAD_SECONDS:-30}" --clients "${LOAD_CLIENTS:-16}"
