#!/usr/bin/env bash
# Installs the tools a make target needs and a fresh machine may lack.
# Idempotent and silent when everything is already there; pinned versions.
#
#   scripts/install-tools.sh run   what `make run` runs, no more: moto's server with the services it serves, so that
#                                  a fresh machine's first token does not wait for tools only the tests use
#   scripts/install-tools.sh       (or `all`) everything `make test` runs:
#
#   moto[server]  (moto_server + flask)    -> pip, into $PYTHON  (run: moto[dynamodb] + flask, flask-cors)
#   cfn-lint                               -> pip, into $PYTHON
#   PyJWT (the smoke test's independent JOSE verifier) -> pip, into $PYTHON
#   sam (aws-sam-cli)                      -> its own venv, linked into $BIN_DIR
#   schemathesis (API fuzzing)             -> its own venv, linked into $BIN_DIR
#   aws-lambda-rie                         -> go install, into $BIN_DIR
#   (the compatibility suite's clients are compat/install.sh's: scripts/compat.sh runs it; make run needs none)
#
# It does not install Maven or a JDK: it only checks that `mvn` runs on JDK 17+. Maven fetches the rest, pinned in
# the poms: the Lambda runtime interface client the emulator test runs the function with is in
# lambda-runtime-client/pom.xml.
#
# Overrides (environment):
#   PYTHON                   python for moto/cfn-lint and the SAM venv (default: python3)
#   TOKEN_ISSUER_BIN_DIR     where `sam` and `aws-lambda-rie` go (default: /usr/local/bin
#                            if writable, else ~/.local/bin)
#   TOKEN_ISSUER_TOOLS_DIR   cache for the SAM venv (default: ~/.cache/token-issuer)
set -euo pipefail

MOTO_VERSION=5.2.5
CFN_LINT_VERSION=1.58.0
PYJWT_VERSION=2.10.1
SAM_CLI_VERSION=1.170.0
SCHEMATHESIS_VERSION=4.32.5
RIE_PKG=github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d
MIN_JAVA=17

MODE=${1:-all}
case $MODE in
  run | all) ;;
  *) printf 'usage: %s [run|all]\n' "$0" >&2; exit 2 ;;
esac

PYTHON=${PYTHON:-python3}
TOOLS_DIR=${TOKEN_ISSUER_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/token-issuer}
SAM_VENV=$TOOLS_DIR/sam-venv-$SAM_CLI_VERSION
if [[ -n ${TOKEN_ISSUER_BIN_DIR:-} ]]; then
  BIN_DIR=$TOKEN_ISSUER_BIN_DIR
elif [[ -w /usr/local/bin ]]; then
  BIN_DIR=/usr/local/bin
else
  BIN_DIR=$HOME/.local/bin
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}

log() { printf 'install-tools: %s\n' "$*" >&2; }
die() { printf 'install-tools: ERROR: %s\n' "$*" >&2; exit 1; }

# Runs "$@" and logs how long it took.
timed() {
  local what=$1 start=$SECONDS
  shift
  log "installing $what ..."
  "$@" || die "installing $what failed (command: $*)"
  log "installed $what in $((SECONDS - start))s"
}

# Lets a pyenv-managed python expose newly installed console scripts.
rehash() { if command -v pyenv >/dev/null 2>&1; then pyenv rehash >/dev/null 2>&1 || true; fi; }

on_path() {
  case ":$PATH:" in *":$1:"*) return 0 ;; *) return 1 ;; esac
}

# --- Maven and JDK 17+: checked, not installed ---------------------------------
# The already-installed path must stay well under a second, and `mvn -v` alone starts a JVM. So first find the JDK
# the way bin/mvn does (JAVA_HOME, else `java` on PATH) and read its release file; only when a mavenrc file could
# change that choice, or the JDK does not pass, ask `mvn -v` (which also gives the error its details).
java_ok_fast() {
  command -v mvn >/dev/null 2>&1 || return 1
  if [[ -z ${MAVEN_SKIP_RC:-} ]]; then
    local rc
    for rc in /usr/local/etc/mavenrc /etc/mavenrc "$HOME/.mavenrc"; do [[ ! -f $rc ]] || return 1; done
  fi
  local home java version major
  if [[ -n ${JAVA_HOME:-} ]]; then
    home=$JAVA_HOME
  else
    java=$(command -v java) && java=$(readlink -f "$java") || return 1
    home=${java%/bin/java}
  fi
  [[ -f $home/release && -x $home/bin/javac ]] || return 1
  version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")
  major=${version%%.*}
  [[ $major =~ ^[0-9]+$ ]] && ((major >= MIN_JAVA))
}

check_java() {
  java_ok_fast && return 0
  command -v mvn >/dev/null 2>&1 ||
    die "'mvn' not found on PATH: install Apache Maven 3.8+ (Debian: apt-get install maven)"
  local mv jv jhome major
  mv=$(mvn -v 2>&1) || die "'mvn -v' failed:
$mv"
  jv=$(sed -n 's/^Java version: \([^,]*\),.*/\1/p' <<<"$mv" | head -n1)
  jhome=$(sed -n 's/.*, runtime: //p' <<<"$mv" | head -n1)
  [[ -n $jv ]] || die "could not read the Java version from 'mvn -v':
$mv"
  major=${jv%%.*}
  if [[ $major == 1 ]]; then major=$(cut -d. -f2 <<<"$jv"); fi
  ((major >= MIN_JAVA)) ||
    die "Maven runs on Java $jv ($jhome); JDK $MIN_JAVA+ is required: set JAVA_HOME to a JDK $MIN_JAVA+ (e.g. /usr/lib/jvm/java-17-openjdk-amd64)"
  [[ -z $jhome || -x $jhome/bin/javac ]] ||
    die "Maven's Java at $jhome has no javac: it is a JRE, a full JDK $MIN_JAVA+ is required (set JAVA_HOME)"
}

# --- Python tools --------------------------------------------------------------
check_python() {
  command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found: Python 3.9+ is required"
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' ||
    die "'$PYTHON' is older than Python 3.9"
  "$PYTHON" -m pip --version >/dev/null 2>&1 || die "'$PYTHON -m pip' does not work: install pip"
}

# pip refuses to install into a distro-managed python (PEP 668): say so plainly.
check_pip_target() {
  if "$PYTHON" - <<'EOF' >/dev/null 2>&1; then
import os, sys, sysconfig
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
sys.exit(0 if os.path.exists(marker) and sys.prefix == sys.base_prefix else 1)
EOF
    die "$(command -v "$PYTHON") is managed by the OS (PEP 668) and pip will not install into it: set PYTHON to a pyenv or venv python"
  fi
}

moto_ok() {
  command -v moto_server >/dev/null 2>&1 &&
    "$PYTHON" - <<'EOF' >/dev/null 2>&1
import importlib.util, sys
import flask  # moto_server is a flask app
sys.exit(importlib.util.find_spec("moto") is None)
EOF
}

# Which of moto as `make run` needs it (its server, the DynamoDB extra), moto with every server extra (as the tests
# may need it) and PyJWT (with cryptography) $PYTHON lacks, found without importing them: one python start, which is
# most of the already-installed path's time.
missing_python_modules() {
  "$PYTHON" - <<'EOF' 2>/dev/null || echo "moto moto-server jwt"
import importlib.util
wanted = (("moto", ("moto", "flask", "flask_cors", "docker", "py_partiql_parser")),
          ("moto-server", ("moto", "flask", "flask_cors", "jsonpath_ng", "openapi_spec_validator", "yaml")),
          ("jwt", ("jwt", "cryptography")))
print(" ".join(name for name, modules in wanted if not all(importlib.util.find_spec(m) for m in modules)))
EOF
}

install_python_tools() {
  local pkgs=() missing
  missing=" $(missing_python_modules) "
  if [[ $MODE == run ]]; then
    # moto_server is a flask app (flask, flask-cors) and the table is DynamoDB's extra (docker, py-partiql-parser);
    # KMS needs nothing beyond moto. Not moto[server]: it pulls cfn-lint, openapi-spec-validator, aws-xray-sdk and
    # more for services make run does not serve.
    if [[ $missing == *" moto "* ]] || ! command -v moto_server >/dev/null 2>&1; then
      pkgs+=("moto[dynamodb]==$MOTO_VERSION" flask flask-cors)
    fi
  else
    if [[ $missing == *" moto"* ]] || ! command -v moto_server >/dev/null 2>&1; then
      pkgs+=("moto[server]==$MOTO_VERSION")
    fi
    command -v cfn-lint >/dev/null 2>&1 || pkgs+=("cfn-lint==$CFN_LINT_VERSION")
    [[ $missing != *" jwt "* ]] || pkgs+=("pyjwt[crypto]==$PYJWT_VERSION")
  fi
  ((${#pkgs[@]})) || return 0
  check_python
  check_pip_target
  # One resolver run: moto[server] itself pulls cfn-lint, so pinning both together
  # keeps cfn-lint at its pin.
  timed "${pkgs[*]}" "$PYTHON" -m pip install --quiet "${pkgs[@]}"
  rehash
  if [[ " ${pkgs[*]} " == *moto* ]]; then
    moto_ok || die "moto installed but 'moto_server' is not on PATH or flask does not import ($(command -v "$PYTHON"))"
  fi
  [[ $MODE == run ]] || command -v cfn-lint >/dev/null 2>&1 || die "cfn-lint installed but 'cfn-lint' is not on PATH"
}

# --- SAM CLI in its own venv (its pinned deps must not fight moto/cfn-lint's) --
link_into_bin() { # name target
  mkdir -p "$BIN_DIR"
  ln -sfn "$2" "$BIN_DIR/$1"
  on_path "$BIN_DIR" || log "note: $BIN_DIR is not on PATH; add it to use '$1' ($BIN_DIR/$1)"
}

install_sam_venv() {
  "$PYTHON" -m venv "$SAM_VENV" &&
    "$SAM_VENV/bin/python" -m pip install --quiet "aws-sam-cli==$SAM_CLI_VERSION" &&
    "$SAM_VENV/bin/sam" --version >/dev/null
}

install_sam() {
  command -v sam >/dev/null 2>&1 && return 0
  if [[ ! -f $SAM_VENV/.installed ]]; then
    check_python
    rm -rf "$SAM_VENV"
    mkdir -p "$TOOLS_DIR"
    if ! (timed "aws-sam-cli==$SAM_CLI_VERSION into $SAM_VENV" install_sam_venv); then
      rm -rf "$SAM_VENV"
      die "installing aws-sam-cli failed"
    fi
    touch "$SAM_VENV/.installed"
  fi
  link_into_bin sam "$SAM_VENV/bin/sam"
  log "sam $SAM_CLI_VERSION: $BIN_DIR/sam -> $SAM_VENV/bin/sam"
}

# --- schemathesis in its own venv, for the same reason as SAM ---------------------
install_schemathesis() {
  command -v schemathesis >/dev/null 2>&1 && return 0
  local venv=$TOOLS_DIR/schemathesis-venv-$SCHEMATHESIS_VERSION
  if [[ ! -f $venv/.installed ]]; then
    check_python
    rm -rf "$venv"
    mkdir -p "$TOOLS_DIR"
    if ! (timed "schemathesis==$SCHEMATHESIS_VERSION into $venv" \
      bash -c '"$0" -m venv "$1" && "$1/bin/python" -m pip install --quiet "schemathesis==$2"' \
      "$PYTHON" "$venv" "$SCHEMATHESIS_VERSION"); then
      rm -rf "$venv"
      die "installing schemathesis failed"
    fi
    touch "$venv/.installed"
  fi
  link_into_bin schemathesis "$venv/bin/schemathesis"
}

# --- Lambda Runtime Interface Emulator -----------------------------------------
install_rie() {
  command -v aws-lambda-rie >/dev/null 2>&1 && return 0
  if [[ ! -x $BIN_DIR/aws-lambda-rie ]]; then
    command -v go >/dev/null 2>&1 || die "'go' not found: it is needed to build aws-lambda-rie"
    mkdir -p "$BIN_DIR"
    timed "aws-lambda-rie@$RIE_VERSION into $BIN_DIR" \
      env GOBIN="$BIN_DIR" go install "$RIE_PKG@$RIE_VERSION"
  fi
  on_path "$BIN_DIR" || log "note: $BIN_DIR is not on PATH; aws-lambda-rie is at $BIN_DIR/aws-lambda-rie"
}

check_java
command -v make >/dev/null 2>&1 || die "'make' not found (Debian: apt-get install make)"
install_python_tools
[[ $MODE == all ]] || exit 0
install_sam
install_schemathesis
install_rie
