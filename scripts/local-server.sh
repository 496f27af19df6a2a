# Sourced (not run) by the checks that test what `make run` serves: the smoke test, the compatibility suite, the load
# test, the fuzzer and the protected-API example.
#   start_local_server NAME [VAR=VALUE ...]
# starts scripts/run-local.sh (the emulator, a demo service user, the API) on free ports with its default settings
# plus the given environment, waits until the API answers, and stops both when the caller exits (a caller with more
# to clean up sets its own EXIT trap and calls stop_local_server from it). Sets: port, moto_port, base (the API's
# URL), run_out (a file with what `make run` printed) and run_pid. NAME prefixes its messages.
start_local_server() {
  local name=$1 attempt
  shift
  export AWS_REGION="${AWS_REGION:-us-east-1}"
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
  export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
  port="$("$root/scripts/moto.sh" free-port)"
  moto_port="$("$root/scripts/moto.sh" free-port)"
  base="http://127.0.0.1:$port"
  run_out="$(mktemp)"
  env -u AWS_ENDPOINT_URL -u TOKEN_ISSUER -u PUBLIC_BASE_URL PORT="$port" MOTO_PORT="$moto_port" "$@" \
    "$root/scripts/run-local.sh" >"$run_out" 2>&1 &
  run_pid=$!
  trap stop_local_server EXIT
  for attempt in $(seq 1 300); do
    if curl -fsS -o /dev/null "$base/.well-known/jwks.json" 2>/dev/null; then return 0; fi
    if ! kill -0 "$run_pid" 2>/dev/null; then
      echo "$name: make run exited:" >&2
      cat "$run_out" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "$name: make run did not answer within a minute:" >&2
  cat "$run_out" >&2
  exit 1
}

stop_local_server() {
  kill -TERM "$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
  rm -f "$run_out"
}
