#!/usr/bin/env bash
# Runs a command with AWS_ENDPOINT_URL pointing at a fresh moto (scripts/aws_emulator.py) on a free loopback port, then stops it.
# With AWS_ENDPOINT_URL already set, runs the command against that endpoint instead (LocalStack, a real account).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"

if [[ -n "${AWS_ENDPOINT_URL:-}" ]]; then
  exec "$@"
fi

state="$(mktemp -d)"
cleanup() { "$here/moto.sh" stop "$state/moto.pid"; rm -rf "$state"; }
trap cleanup EXIT
port="$("$here/moto.sh" free-port)"
AWS_ENDPOINT_URL="$("$here/moto.sh" start "$port" "$state/moto.pid" "$state/moto.log")"
export AWS_ENDPOINT_URL
echo "with-moto: AWS emulator (moto) on $AWS_ENDPOINT_URL" >&2
"$@"
