#!/usr/bin/env bash
# Installs the compatibility suite's third-party clients, pinned: the Go module's (compat/go/go.mod, go.sum), authlib
# in its own venv, the Node packages (compat/node/package-lock.json), Spring Security (compat/java/pom.xml).
# Idempotent: each piece is keyed on the hash of what pins it and skipped when built; caches under
# ${TOKEN_ISSUER_TOOLS_DIR:-~/.cache/token-issuer}. Progress on stderr; on stdout, the shell assignments
# scripts/compat.sh evaluates: COMPAT_GO_BIN, COMPAT_PYTHON, COMPAT_JAVA_CP.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AUTHLIB_VERSION=1.9.6
REQUESTS_VERSION=2.34.2
PYTHON=${PYTHON:-python3}
TOOLS_DIR=${TOKEN_ISSUER_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/token-issuer}
export GOTOOLCHAIN=local GOFLAGS=-mod=mod PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

log() { printf 'compat-install: %s\n' "$*" >&2; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# Go: one binary per content of the module; go's module cache holds the pinned sources.
go_dir="$root/compat/go"
go_bin="$TOOLS_DIR/compat-go-$(hash_of "$go_dir/go.mod" "$go_dir/go.sum" "$go_dir"/*.go)/compat"
if [[ ! -x $go_bin ]]; then
  command -v go >/dev/null || { log "'go' not found: the Go clients need it"; exit 1; }
  log "building the Go clients ..."
  mkdir -p "$(dirname "$go_bin")"
  (cd "$go_dir" && go build -o "$go_bin.tmp" .) && mv "$go_bin.tmp" "$go_bin"
fi

# Python: authlib in its own venv, so its pins never meet moto's or SAM's.
venv="$TOOLS_DIR/compat-authlib-$AUTHLIB_VERSION"
if [[ ! -f $venv/.installed ]]; then
  log "installing authlib==$AUTHLIB_VERSION into $venv ..."
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet "authlib==$AUTHLIB_VERSION" "requests==$REQUESTS_VERSION"
  touch "$venv/.installed"
fi

# Node: npm ci from the lock file; redone when the lock file changes.
node_dir="$root/compat/node"
node_stamp="$node_dir/node_modules/.token-issuer-$(hash_of "$node_dir/package-lock.json")"
if [[ ! -f $node_stamp ]]; then
  command -v npm >/dev/null || { log "'npm' not found: the Node clients need Node 20.19+"; exit 1; }
  log "npm ci in compat/node ..."
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  touch "$node_stamp"
fi

# Java: compile once per pom and source; the classpath of the pinned jars goes to a file.
java_dir="$root/compat/java"
java_stamp="$java_dir/target/.token-issuer-$(hash_of "$java_dir/pom.xml" $(find "$java_dir/src" -name '*.java' | sort))"
if [[ ! -f $java_stamp ]]; then
  log "building the Spring Security client ..."
  rm -rf "$java_dir/target"
  mvn -B -ntp -q -f "$java_dir/pom.xml" compile dependency:build-classpath \
    -Dmdep.outputFile="$java_dir/target/classpath.txt" >&2
  touch "$java_stamp"
fi

printf 'COMPAT_GO_BIN=%q\n' "$go_bin"
printf 'COMPAT_PYTHON=%q\n' "$venv/bin/python"
printf 'COMPAT_JAVA_CP=%q\n' "$java_dir/target/classes:$(cat "$java_dir/target/classpath.txt")"
