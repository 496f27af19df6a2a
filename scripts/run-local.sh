#!/usr/bin/env bash
# `make run`: the emulator (unless AWS_ENDPOINT_URL is set), the table and key, a demo service user and secret,
# then the API on http://127.0.0.1:${PORT:-7400} through the Lambda handler. Ctrl-C stops what it started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
port="${PORT:-7400}"
moto_port="${MOTO_PORT:-4566}"
state="$root/.run"
mkdir -p "$state"

cleanup() {
  [[ -n "${server_pid:-}" ]] && kill "$server_pid" 2>/dev/null || true
  "$root/scripts/moto.sh" stop "$state/moto.pid"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${AWS_ENDPOINT_URL:-}" ]]; then
  "$root/scripts/moto.sh" stop "$state/moto.pid"   # a leftover from a killed run
  AWS_ENDPOINT_URL="$("$root/scripts/moto.sh" start "$moto_port" "$state/moto.pid" "$state/moto.log")"
  export AWS_ENDPOINT_URL
  echo "AWS API emulator (moto) on $AWS_ENDPOINT_URL" >&2
else
  echo "using AWS endpoint $AWS_ENDPOINT_URL" >&2
fi

# Discovery clients (Spring Security, openid-client, go-oidc) need the metadata's issuer, and so the tokens' iss, to be
# the URL they fetch it from (RFC 8414 §3.3). Set TOKEN_ISSUER=frontier instead for Frontier's resource servers.
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:$port}"
export TOKEN_ISSUER="${TOKEN_ISSUER:-$PUBLIC_BASE_URL}"

tokenctl="$root/tokenctl"
"$tokenctl" bootstrap >"$state/bootstrap.json"
user_id="$("$tokenctl" serviceuser create --org demo-org --title "make run demo" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
"$tokenctl" secret create "$user_id" --title "make run demo" >"$state/demo-secret.json"
read -r client_id client_secret < <(python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); print(d["client_id"], d["client_secret"])' "$state/demo-secret.json")

# The emulator takes any credentials; print them only when they are the placeholder this script chose.
emulator_credentials=""
[[ "$AWS_ACCESS_KEY_ID" == test && "$AWS_SECRET_ACCESS_KEY" == test ]] \
  && emulator_credentials=" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test"

cat <<INFO

Demo service user: $user_id (org demo-org)
  client_id:     $client_id
  client_secret: $client_secret

Get a token:
  curl -s -u '$client_id:$client_secret' -d grant_type=client_credentials http://127.0.0.1:$port/v1beta1/auth/token

Issuer (iss):  $TOKEN_ISSUER
Public keys:   curl -s http://127.0.0.1:$port/.well-known/jwks.json
Discovery:     curl -s http://127.0.0.1:$port/.well-known/openid-configuration
Admin CLI, from another shell:
  export AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL AWS_REGION=$AWS_REGION$emulator_credentials
  ./tokenctl --help

INFO

"$tokenctl" serve --host 127.0.0.1 --port "$port" &
server_pid=$!
wait "$server_pid"
