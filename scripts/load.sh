#!/usr/bin/env bash
# `make load`: start what `make run` starts (on free ports, default settings), add a key to its demo service user with
# `tokenctl key create`, and drive the server with scripts/load.py: LOAD_CLIENTS concurrent clients (16) for
# LOAD_SECONDS (30). Fails on any error or any token that does not verify against the JWKS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python3 -c 'import jwt, cryptography' 2>/dev/null \
  || { echo "load: PyJWT missing (pip install 'pyjwt[crypto]'; scripts/install-tools.sh does)" >&2; exit 1; }

. "$root/scripts/local-server.sh"
start_local_server load
work="$(mktemp -d)"
trap 'stop_local_server; rm -rf "$work"' EXIT

field() { sed -n "s/^ *$1: *\([^ ]*\).*/\1/p" "$run_out" | head -1; }
user_id="$(field 'Demo service user')"
client_id="$(field client_id)"
client_secret="$(field client_secret)"
[[ -n "$user_id" && -n "$client_id" && -n "$client_secret" ]] \
  || { echo "load: make run printed no demo credentials:" >&2; cat "$run_out" >&2; exit 1; }
(umask 077; AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" "$root/tokenctl" key create "$user_id" --title load \
  >"$work/key.json")

LOAD_CLIENT_ID="$client_id" LOAD_CLIENT_SECRET="$client_secret" python3 "$root/scripts/load.py" --port "$port" \
  --key-file "$work/key.json" --seconds "${LOAD_SECONDS:-30}" --clients "${LOAD_CLIENTS:-16}"
