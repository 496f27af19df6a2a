# token-issuer: `make run` serves the API locally, `make test` runs every check. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
MVN ?= mvn -B -ntp
PORT ?= 7400
# The SAM CLI sends usage telemetry unless told not to.
export SAM_CLI_TELEMETRY ?= 0
# scripts/install-tools.sh puts sam, schemathesis and aws-lambda-rie in /usr/local/bin when it may, else in
# TOKEN_ISSUER_BIN_DIR or ~/.local/bin (as pip --user does console scripts): make finds them there too.
export PATH := $(PATH)$(if $(TOKEN_ISSUER_BIN_DIR),:$(TOKEN_ISSUER_BIN_DIR)):$(HOME)/.local/bin
# scripts/lambda_rie.py (the emulator test and benchmark) and check_template.py read the template with the SAM CLI's
# and SAM's translator's own code: SAM's own python has both, whatever python3 has. Recursive (?=), so it is read after install-tools has run.
SAM_PYTHON ?= $(shell PATH='$(PATH)' scripts/sam-python.sh)
# make load: this many concurrent clients for this many seconds (make test runs 8 for 5 s).
LOAD_CLIENTS ?= 16
LOAD_SECONDS ?= 30
# make bench: this many fresh containers of the function and of the floor (scripts/bench/floor), this many warm
# invokes each.
BENCH_RUNS ?= 5
BENCH_WARM ?= 100
# ... and, when set, the same function under these JAVA_TOOL_OPTIONS ("none" for none), interleaved.
BENCH_JAVA_TOOL_OPTIONS ?=
# ... and, when set, with another `sam build` output (another commit's, say), interleaved.
BENCH_COMPARE_BUILD_DIR ?=

.PHONY: help install-tools install-run-tools build build-run lint sam-build rie-test unit test fuzz compat run bench bench-auth bench-exchange load clean build-TokenFunction build-DependencyLayer build-SecretRotationFunction

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# A prerequisite of every target that needs more than the JDK, Maven and Python, so that on a fresh machine
# `make run` and `make test` are the whole set-up; when everything is there it is silent and takes well under a second.
install-tools: ## Install the pinned tools the other targets need, if missing (moto, cfn-lint, PyJWT, sam, ...)
	@scripts/install-tools.sh

# make run's share of it: moto's server, nothing only the tests use (a fresh machine's first token waits for it).
install-run-tools: ## Install only what `make run` runs (moto), if missing
	@scripts/install-tools.sh run

build: ## Compile and package the function, the layer and tokenctl (no tests)
	$(MVN) -q package -DskipTests

# make run's share of it: tokenctl and the function it serves, no test compiled or packaged (half the CPU of build).
build-run:
	$(MVN) -q package -Dmaven.test.skip=true -pl admin -am

lint: install-tools ## Lint the SAM template (cfn-lint, SAM's validation, SnapStart behind the alias) and the docs' links
	python3 scripts/check_docs.py
	cfn-lint template.yaml
	sam validate --lint
	@# ... and with the optional rotation function on (EnableSecretRotation's default flipped).
	on=$$(mktemp --suffix=.yaml) && sed '/^  EnableSecretRotation:/,/Default:/ s/Default: "false"/Default: "true"/' \
	  template.yaml > $$on && grep -q 'Default: "true"' $$on && cfn-lint $$on && sam validate --lint -t $$on \
	  && $(SAM_PYTHON) scripts/check_template.py $$on; status=$$?; rm -f $$on; exit $$status
	$(SAM_PYTHON) scripts/check_template.py
	$(SAM_PYTHON) scripts/lint_regions.py
	$(SAM_PYTHON) scripts/test_check_template.py
	$(SAM_PYTHON) scripts/test_lambda_rie.py

sam-build: install-tools ## Build the function and the layer as they deploy (sam build, into .aws-sam/build)
	sam build

rie-test: sam-build build ## The built function under the Lambda Runtime Interface Emulator: every events/*.json (with moto)
	scripts/with-moto.sh $(SAM_PYTHON) scripts/rie_smoke.py

bench: sam-build build ## The function against the floor under the emulator (cold, warm p50/p99, CPU, AWS calls, sizes, cost per million tokens): target/bench/bench.json
	scripts/with-moto.sh $(SAM_PYTHON) scripts/rie_bench.py --runs $(BENCH_RUNS) --warm $(BENCH_WARM) \
	  $(if $(BENCH_JAVA_TOOL_OPTIONS),--java-tool-options "$(patsubst none,,$(BENCH_JAVA_TOOL_OPTIONS))") \
	  $(if $(BENCH_COMPARE_BUILD_DIR),--compare-build-dir "$(BENCH_COMPARE_BUILD_DIR)")

bench-auth: ## The function's own CPU per warm token: client secret, private_key_jwt, jwt-bearer; Bearer and DPoP (in-process)
	scripts/bench/auth-cpu.sh

bench-exchange: install-tools ## Token exchange (AWS, OIDC) beside client_credentials: AWS calls, CPU, warm latency (in-process, emulator)
	scripts/bench/exchange.sh

unit: ## Unit tests only (no emulator needed)
	$(MVN) test

# sam build after mvn verify: its two Maven runs go side by side, and on a fresh machine they should not both be
# downloading the same dependencies into ~/.m2.
test: install-tools lint ## Every check: lint, unit and integration tests, sam build, emulator, end-to-end, compatibility, Frontier import, protected-API example, load and fuzz tests (with moto)
	scripts/with-moto.sh sh -c 'python3 scripts/test_aws_emulator.py && python3 scripts/test_fault_proxy.py'
	scripts/with-moto.sh $(MVN) verify
	sam build
	scripts/with-moto.sh $(SAM_PYTHON) scripts/rie_smoke.py
	scripts/smoke-make-run.sh
	scripts/compat.sh
	scripts/import-e2e.sh
	LOAD_CLIENTS=8 LOAD_SECONDS=5 scripts/load.sh
	examples/protected-api/check.sh
	scripts/fuzz-api.sh
	@scripts/test-summary.py

compat: install-tools build ## Third-party clients (Go, authlib, jose, openid-client, Spring Security) against make run's server, RS256 then ES256
	scripts/compat.sh

load: install-tools build ## Drive the local server with LOAD_CLIENTS=16 clients for LOAD_SECONDS=30: tokens/s, p50/p99, errors
	LOAD_CLIENTS=$(LOAD_CLIENTS) LOAD_SECONDS=$(LOAD_SECONDS) scripts/load.sh

fuzz: install-tools build ## Fuzz the running API with schemathesis against openapi.yaml (no 5xx, documented shapes)
	scripts/fuzz-api.sh

run: install-run-tools build-run ## Start the emulator, provision a demo service user, serve the API on http://127.0.0.1:$(PORT)
	PORT=$(PORT) scripts/run-local.sh

clean: ## Remove build output and local run state
	$(MVN) -q clean
	rm -rf .run .aws-sam

# ---- sam build (BuildMethod: makefile in template.yaml): SAM runs `make build-<LogicalId>` at the project root
# with ARTIFACTS_DIR set. The function zip holds its classes at the root (and runtime-scope jars in lib/, none
# today: everything else is in the layer); the layer zip holds every runtime jar under java/lib.
SAM_MVN ?= $(MVN) -q -Dmaven.test.skip=true

build-TokenFunction:
	rm -rf function/target/classes function/target/dependency
	$(SAM_MVN) -pl function -am package dependency:copy-dependencies -DincludeScope=runtime -Dmdep.prependGroupId=true
	cp -R function/target/classes/. "$(ARTIFACTS_DIR)/"
	if [ -d function/target/dependency ]; then mkdir -p "$(ARTIFACTS_DIR)/lib" && cp function/target/dependency/*.jar "$(ARTIFACTS_DIR)/lib/"; fi

# The rotation function (EnableSecretRotation): its classes and every runtime jar it needs, in one artifact.
build-SecretRotationFunction:
	rm -rf rotation/target/classes rotation/target/dependency
	$(SAM_MVN) -pl rotation -am package dependency:copy-dependencies -DincludeScope=runtime -Dmdep.prependGroupId=true
	cp -R rotation/target/classes/. "$(ARTIFACTS_DIR)/"
	mkdir -p "$(ARTIFACTS_DIR)/lib" && cp rotation/target/dependency/*.jar "$(ARTIFACTS_DIR)/lib/"

build-DependencyLayer:
	$(SAM_MVN) -pl dependency-layer dependency:copy-dependencies -DincludeScope=runtime -Dmdep.prependGroupId=true \
	  -DoutputDirectory="$(ARTIFACTS_DIR)/java/lib"
