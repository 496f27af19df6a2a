#!/usr/bin/env bash
# The compatibility suite (docs/compatibility.md): starts what `make run` starts, on free ports and with its default
# settings, gives a service user a secret and a key, and runs unchanged third-party clients against it (compat/: Go,
# Python authlib, Node jose and openid-client, Java Spring Security; private_key_jwt and DPoP where the library has
# them; OpenID discovery as Spring, Nimbus and go-oidc read it), first with the RS256 key, then again after
# `tokenctl signing-key rotate --spec ECC_NIST_P256`. A second API over the same emulator, table and keys runs with
# ACCESS_TOKEN_PROFILE=rfc9068, for the RFC 9068 verifiers (oauth4webapi) and the ones that refuse at+jwt. Token exchange
# with an AWS identity (docs/federation.md): the subject token signed by botocore's SigV4Auth and by the Java SDK's
# AwsV4HttpSigner (through tokenctl token --from-aws-credentials), both unmodified, for a role of the emulator.
# One line per check, then `compat: N passed, N failed`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
started=$SECONDS

eval "$("$root/compat/install.sh")"

# Short, so that the rotation below takes seconds; the server and tokenctl must agree on it. Nothing else is set.
export SIGNING_KEYS_REFRESH_SECONDS=2
. "$root/scripts/local-server.sh"
start_local_server compat
work="$(mktemp -d)"
rfc9068_pid=""
stop_all() {
  if [[ -n $rfc9068_pid ]]; then kill -TERM "$rfc9068_pid" 2>/dev/null || true; wait "$rfc9068_pid" 2>/dev/null || true; fi
  stop_local_server
  rm -rf "$work"
}
trap stop_all EXIT

tokenctl() { AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" "$root/tokenctl" "$@"; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# The RFC 9068 profile is a setting, so it gets its own API: `tokenctl serve` over the first one's emulator, table and
# signing key (it rotates with it), issuer its own URL, every token's aud the default below unless resource names one.
export COMPAT_AUDIENCE=https://compat.example/api
rfc9068_port="$("$root/scripts/moto.sh" free-port)"
export COMPAT_RFC9068_BASE="http://127.0.0.1:$rfc9068_port"
# Not through the tokenctl function: $! must be the server's own pid (the script execs java), to stop it.
AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" PUBLIC_BASE_URL="$COMPAT_RFC9068_BASE" TOKEN_ISSUER="$COMPAT_RFC9068_BASE" \
  ACCESS_TOKEN_PROFILE=rfc9068 TOKEN_AUDIENCE="$COMPAT_AUDIENCE" \
  "$root/tokenctl" serve --host 127.0.0.1 --port "$rfc9068_port" >"$work/rfc9068.log" 2>&1 &
rfc9068_pid=$!
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "$COMPAT_RFC9068_BASE/.well-known/jwks.json" 2>/dev/null && break
  kill -0 "$rfc9068_pid" 2>/dev/null || { echo "compat: the rfc9068 server exited:" >&2; cat "$work/rfc9068.log" >&2; exit 1; }
  sleep 0.2
done

# Allowed the audience, so that a request may name it as resource (RFC 8707) on either server.
user_id="$(tokenctl serviceuser create --org compat-org --title compat --audiences "$COMPAT_AUDIENCE" | json_field id)"
tokenctl secret create "$user_id" --title compat >"$work/secret.json"
(umask 077 && tokenctl key create "$user_id" --title compat >"$work/key.json")
export COMPAT_BASE="$base" COMPAT_KEY_FILE="$work/key.json"
COMPAT_CLIENT_ID="$(json_field client_id <"$work/secret.json")"
COMPAT_CLIENT_SECRET="$(json_field client_secret <"$work/secret.json")"
export COMPAT_CLIENT_ID COMPAT_CLIENT_SECRET

# Token exchange: a role in the emulator's IAM, trusted as the service user.
export COMPAT_AWS_ENDPOINT="http://127.0.0.1:$moto_port"
COMPAT_AWS_ROLE_ARN="$(python3 -c '
import boto3, os, sys
iam = boto3.client("iam", endpoint_url=os.environ["COMPAT_AWS_ENDPOINT"], region_name="us-east-1")
print(iam.create_role(RoleName="compat-workload", AssumeRolePolicyDocument="{}")["Role"]["Arn"])')"
export COMPAT_AWS_ROLE_ARN
tokenctl federation trust-aws --role-arn "$COMPAT_AWS_ROLE_ARN" --serviceuser "$user_id" --title compat >/dev/null

passed=0 failed=0
# Runs one client; turns its PASS/FAIL lines into this suite's lines and counts them.
client() {
  local name=$1 status=0 line
  shift
  "$@" >"$work/client.out" 2>"$work/client.err" || status=$?
  while IFS= read -r line; do
    case "$line" in
      PASS\ *) echo "PASS $COMPAT_ALG ${line#PASS }"; passed=$((passed + 1)) ;;
      FAIL\ *) echo "FAIL $COMPAT_ALG ${line#FAIL }"; failed=$((failed + 1)) ;;
    esac
  done <"$work/client.out"
  if ((status != 0)) || ! grep -q '^PASS\|^FAIL' "$work/client.out"; then
    echo "FAIL $COMPAT_ALG $name: exited $status: $(tail -c 600 "$work/client.err" | tr '\n' ' ')"
    failed=$((failed + 1))
  fi
}

phase() {
  export COMPAT_ALG=$1
  client go "$COMPAT_GO_BIN"
  client python "$COMPAT_PYTHON" "$root/compat/python/clients.py"
  client node node "$root/compat/node/clients.mjs"
  client java java -cp "$COMPAT_JAVA_CP" compat.SpringDecoders
  client java-dpop java -cp "$COMPAT_JAVA_CP" compat.SpringDpop
  client java-discovery java -cp "$COMPAT_JAVA_CP" compat.OidcDiscovery
  client aws-botocore python3 "$root/compat/python/aws_exchange.py"
  client aws-java-sdk java_sdk_signer
}

# tokenctl token --from-aws-credentials: the Java SDK's AwsV4HttpSigner, with the role session's credentials.
java_sdk_signer() {
  local session
  session="$(python3 "$root/compat/python/aws_exchange.py" --session)"
  if env $session AWS_ENDPOINT_URL="$COMPAT_AWS_ENDPOINT" "$root/tokenctl" token --from-aws-credentials --url "$base" 2>&1 \
      | python3 -c 'import json,sys; t=json.load(sys.stdin); assert t["issued_token_type"].endswith(":access_token")' \
      2>/dev/null; then
    echo "PASS token exchange: Java SDK AwsV4HttpSigner subject token (tokenctl token --from-aws-credentials)"
  else
    echo "FAIL token exchange: Java SDK AwsV4HttpSigner subject token (tokenctl token --from-aws-credentials)"
  fi
}

# The alg of a token from the server at $1.
token_alg() {
  curl -fsS -u "$COMPAT_CLIENT_ID:$COMPAT_CLIENT_SECRET" -d grant_type=client_credentials "$1/v1beta1/auth/token" \
    | python3 -c 'import base64,json,sys; h=json.load(sys.stdin)["access_token"].split(".")[0]; print(json.loads(base64.urlsafe_b64decode(h+"="*(-len(h)%4)))["alg"])'
}

phase RS256
# --publish-lead: this server's own refresh plus max-age (2 + 2 s). The suite's jwk.Cache is new in each run, so the
# 15 minutes a long-lived Frontier cache needs are not what is tested here.
tokenctl signing-key rotate --spec ECC_NIST_P256 --publish-lead 4 >/dev/null 2>"$work/rotate.err" \
  || { echo "compat: signing-key rotate failed:" >&2; cat "$work/rotate.err" >&2; exit 1; }
for server in "$base" "$COMPAT_RFC9068_BASE"; do
  for _ in $(seq 1 50); do
    [[ "$(token_alg "$server")" == ES256 ]] && break
    sleep 0.2
  done
  [[ "$(token_alg "$server")" == ES256 ]] || { echo "compat: $server did not switch to the P-256 key" >&2; exit 1; }
done
phase ES256

echo "compat: $((SECONDS - started)) s"
echo "compat: $passed passed, $failed failed"
((failed == 0))
