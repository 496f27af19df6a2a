#!/usr/bin/env bash
# Property-based fuzzing of the running API with schemathesis, driven by openapi.yaml: what `make run` serves must
# never answer a 5xx to anything a client can send, and every answer must match the documented shapes.
# Starts its own emulator and server on free ports; bounded in examples and time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
st="${SCHEMATHESIS:-$(command -v schemathesis || echo "$HOME/.cache/token-issuer/schemathesis-venv-4.32.5/bin/schemathesis")}"
[[ -x "$st" ]] || { echo "fuzz: schemathesis missing (scripts/install-tools.sh installs it)" >&2; exit 1; }

. "$root/scripts/local-server.sh"
start_local_server fuzz
report="$(mktemp -d)"
trap 'stop_local_server; rm -rf "$report"' EXIT
read -r client_id client_secret < <(python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); print(d["client_id"], d["client_secret"])' "$root/.run/demo-secret.json")

# Half the runs with the demo credentials in a Basic header, so the grant's success paths are fuzzed too.
for auth in none basic; do
  args=()
  [[ $auth == basic ]] && args=(--auth "$client_id:$client_secret")
  "$st" run "$root/openapi.yaml" --url "http://127.0.0.1:$port" "${args[@]}" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing --max-examples "${FUZZ_EXAMPLES:-150}" --seed 7 \
    --generation-database none --workers 2 --request-timeout 10 --no-color --output-truncate true \
    --exclude-checks negative_data_rejection,positive_data_acceptance,missing_required_header,unsupported_method \
    --report junit --report-dir "$report"
done
# The malformed JWSs openapi.yaml lists, sent in every place a JWS is read (schemathesis puts them in DPoP only).
python3 "$root/scripts/fuzz-malformed-jws.py" "$root/openapi.yaml" "http://127.0.0.1:$port" "$client_id" "$client_secret"
echo "fuzz: no server error and every response as documented"
