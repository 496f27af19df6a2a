#!/usr/bin/env bash
# Checks examples/protected-api: `sam validate --lint` on its template, then what `make run` serves (on free ports,
# with TOKEN_ISSUER set to its own URL, as a deployment sets it to its PUBLIC_BASE_URL) gives tokens that the
# template's JWT authorizer, as authorizer.py applies AWS's documented rules, lets through for the right resource and
# scope only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sam validate --lint -t "$here/template.yaml" >/dev/null
python3 -c 'import jwt, cryptography, samtranslator' 2>/dev/null \
  || { echo "protected-api: PyJWT or SAM's translator missing (scripts/install-tools.sh installs them)" >&2; exit 1; }

. "$root/scripts/local-server.sh"
start_local_server protected-api
issuer="$base"
work="$(mktemp -d)"
trap 'stop_local_server; rm -rf "$work"' EXIT

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
