#!/usr/bin/env bash
# The README's promise, checked: start what `make run` starts (on free ports), run the curl line it prints, and
# verify the token against the served JWKS with PyJWT, a JOSE library independent of the Java code. Then rotate the
# signing key to a P-256 key while the server runs: it must switch to ES256 without a restart, and both the old and
# the new token must verify against the JWKS it serves then.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python3 -c 'import jwt, cryptography' 2>/dev/null \
  || { echo "smoke: PyJWT missing (pip install 'pyjwt[crypto]'; scripts/install-tools.sh does)" >&2; exit 1; }

# A short refresh interval, so the rotation below takes seconds (the server and tokenctl must agree on it).
export SIGNING_KEYS_REFRESH_SECONDS=2
. "$root/scripts/local-server.sh"
start_local_server smoke
out="$run_out"

curl_line="$(grep -E "^  curl .*/v1beta1/auth/token" "$out" | head -1)"
[[ -n "$curl_line" ]] || { echo "smoke: make run printed no curl line:" >&2; cat "$out" >&2; exit 1; }
response="$(bash -c "$curl_line")"

# Verifies each token response given against the JWKS served now, as a resource server would: key by kid, the alg
# the key names. Prints the alg of each.
verify() {
  python3 - "http://127.0.0.1:$port/.well-known/jwks.json" "$@" <<'PY'
import json, sys, urllib.request
import jwt

jwks = json.load(urllib.request.urlopen(sys.argv[1]))
for arg in sys.argv[2:]:
    response = json.loads(arg)
    assert response["token_type"] == "Bearer" and response["expires_in"] == 3600, response
    token = response["access_token"]
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in jwks["keys"] if k["kid"] == kid)
    assert set(key) <= {"kty", "kid", "alg", "use", "n", "e", "crv", "x", "y"} and key["use"] == "sig", key
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=[key["alg"]],
                        options={"require": ["exp", "iat", "sub"]})
    for claim in ("iss", "sub", "iat", "nbf", "exp", "jti", "client_id", "kid", "gen", "sub_type", "org_ids"):
        assert claim in claims, f"missing claim {claim}: {claims}"
    assert claims["gen"] == "system" and claims["sub_type"] == "app/serviceuser" and claims["org_ids"] == "demo-org"
    assert claims["kid"] == kid, claims
    print(key["alg"])
PY
}

alg="$(verify "$response")"
echo "smoke: make run's curl line got a $alg token that verifies against the JWKS"

# --publish-lead: this server's own refresh plus max-age (2 + 2 s); no Frontier-style 15-minute cache here.
AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" "$root/tokenctl" signing-key rotate --spec ECC_NIST_P256 \
  --publish-lead 4 >/dev/null
rotated=""
for _ in $(seq 1 50); do
  candidate="$(bash -c "$curl_line")"
  if [[ "$(verify "$candidate")" == ES256 ]]; then rotated="$candidate"; break; fi
  sleep 0.2
done
[[ -n "$rotated" ]] || { echo "smoke: the server did not switch to the rotated P-256 key" >&2; exit 1; }
[[ "$(verify "$response" "$rotated" | tr '\n' ' ')" == "RS256 ES256 " ]] \
  || { echo "smoke: the tokens from before and after the rotation do not both verify" >&2; exit 1; }
echo "smoke: after signing-key rotate --spec ECC_NIST_P256 the running server issues ES256 tokens; PyJWT verifies them and the RS256 token from before against its JWKS"
