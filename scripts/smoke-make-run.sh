#!/usr/bin/env bash
# The README's promise, checked: start what `make run` starts (on free ports), run the curl line it prints, and
# verify the token against the served JWKS with PyJWT, a JOSE library independent of the Java code.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python3 -c 'import jwt, cryptography' 2>/dev/null \
  || { echo "smoke: PyJWT missing (pip install 'pyjwt[crypto]'; scripts/install-tools.sh does)" >&2; exit 1; }

port="$("$root/scripts/moto.sh" free-port)"
moto_port="$("$root/scripts/moto.sh" free-port)"
out="$(mktemp)"
env -u AWS_ENDPOINT_URL PORT="$port" MOTO_PORT="$moto_port" "$root/scripts/run-local.sh" >"$out" 2>&1 &
run_pid=$!
stop() { kill -TERM "$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; rm -f "$out"; }
trap stop EXIT

for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/.well-known/jwks.json" 2>/dev/null; then break; fi
  if ! kill -0 "$run_pid" 2>/dev/null; then echo "smoke: make run exited:" >&2; cat "$out" >&2; exit 1; fi
  sleep 0.2
done

curl_line="$(grep -E "^  curl .*/v1beta1/auth/token" "$out" | head -1)"
[[ -n "$curl_line" ]] || { echo "smoke: make run printed no curl line:" >&2; cat "$out" >&2; exit 1; }
response="$(bash -c "$curl_line")"

python3 - "$response" "http://127.0.0.1:$port/.well-known/jwks.json" <<'PY'
import json, sys, urllib.request
import jwt

response = json.loads(sys.argv[1])
assert response["token_type"] == "Bearer" and response["expires_in"] == 3600, response
jwks = json.load(urllib.request.urlopen(sys.argv[2]))
token = response["access_token"]
kid = jwt.get_unverified_header(token)["kid"]
key = next(k for k in jwks["keys"] if k["kid"] == kid)
claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=[key["alg"]], options={"require": ["exp", "iat", "sub"]})
for claim in ("iss", "sub", "iat", "nbf", "exp", "jti", "client_id", "kid", "gen", "sub_type", "org_ids"):
    assert claim in claims, f"missing claim {claim}: {claims}"
assert claims["gen"] == "system" and claims["sub_type"] == "app/serviceuser" and claims["org_ids"] == "demo-org"
print(f"smoke: make run's curl line got a {key['alg']} token for {claims['sub']} that verifies against the JWKS")
PY
