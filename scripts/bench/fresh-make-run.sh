#!/usr/bin/env bash
# A fresh machine's `make run` to its first token, simulated on this one: a clone of COMMIT (default HEAD) in a
# temporary directory, a new virtualenv as PYTHON (so moto is installed anew), empty tool, bin and cache directories
# (TOKEN_ISSUER_TOOLS_DIR, TOKEN_ISSUER_BIN_DIR, XDG_CACHE_HOME), no pip cache; only ~/.m2 is kept, as the issue's
# measurement allows. Starts `make run` on free ports, runs the curl line it prints until it answers a token, and
# prints the wall time to that token and the CPU time the whole process tree used by then (user + system of every
# process of its session, reaped children included: what a machine with idle cores would need, whatever the load here).
#
#   scripts/bench/fresh-make-run.sh [COMMIT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
commit="${1:-HEAD}"
python="$(command -v "${PYTHON:-python3}")"
python="$("$python" -c 'import sys; print(sys.executable)')"  # past a pyenv shim, which the empty PATH below lacks
work="$(mktemp -d /tmp/fresh-make-run.XXXXXX)"
session=""
cleanup() {
  [[ -z $session ]] || kill -- "-$session" 2>/dev/null || true
  [[ -z $session ]] || wait "$session" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

git clone -q "$root" "$work/repo"
git -C "$work/repo" checkout -q "$commit"
"$python" -m venv "$work/venv"
mkdir -p "$work/tools" "$work/bin"
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)" moto_port="$(free_port)"
# What a fresh machine has: a JDK, Maven, Go and the system's tools, and a python whose venv is first on PATH.
java_bin="$(dirname "$(readlink -f "$(command -v java)")")"
go_bin="$(dirname "$(readlink -f "$(command -v go 2>/dev/null || echo /usr/bin/go)")")"
mvn_bin="$(dirname "$(command -v mvn)")"

cd "$work/repo"
start=$(date +%s.%N)
env PATH="$work/venv/bin:$java_bin:$mvn_bin:$go_bin:/usr/bin:/bin" PYTHON="$work/venv/bin/python" \
  TOKEN_ISSUER_TOOLS_DIR="$work/tools" TOKEN_ISSUER_BIN_DIR="$work/bin" XDG_CACHE_HOME="$work/cache" \
  PIP_NO_CACHE_DIR=1 setsid make run PORT="$port" MOTO_PORT="$moto_port" >"$work/run.log" 2>&1 &
session=$!
token=""
while kill -0 "$session" 2>/dev/null; do
  line="$(grep -E "^  curl .*/v1beta1/auth/token" "$work/run.log" | head -1 || true)"
  if [[ -n $line ]] && out="$(bash -c "$line" 2>/dev/null)" && [[ $out == *access_token* ]]; then
    token=$out
    break
  fi
  sleep 0.25
done
end=$(date +%s.%N)
cpu="$("$python" - "$session" <<'PY'
import os, sys
ticks, total = os.sysconf("SC_CLK_TCK"), 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        text = open(f"/proc/{pid}/stat").read()
    except OSError:
        continue
    fields = text[text.rfind(")") + 2:].split()
    if fields[3] == sys.argv[1]:  # the session make run leads
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
print(f"{total / ticks:.1f}")
PY
)"
if [[ -z $token ]]; then
  echo "fresh-make-run: make run gave no token; its output:" >&2
  cat "$work/run.log" >&2
  exit 1
fi
grep -E "^install-tools: installed" "$work/run.log" || true
printf 'fresh-make-run: %s: first token after %s s wall, %s s CPU (load average %s)\n' \
  "$(git -C "$work/repo" log -1 --format=%h)" "$("$python" -c "print(round($end - $start, 1))")" "$cpu" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
