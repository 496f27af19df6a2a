# token-issuer: `make run` serves the API locally, `make test` runs every check. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
MVN ?= mvn -B -ntp
PORT ?= 7400

.PHONY: help build lint unit test fuzz run bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

build: ## Compile and package the function, the layer and tokenctl (no tests)
	$(MVN) -q package -DskipTests

lint: ## Lint the SAM template with cfn-lint
	cfn-lint template.yaml

unit: ## Unit tests only (no emulator needed)
	$(MVN) test

test: lint ## Every check: template lint, build, unit, integration and end-to-end tests (starts and stops moto)
	scripts/with-moto.sh $(MVN) verify
	scripts/smoke-make-run.sh
	scripts/fuzz-api.sh

fuzz: build ## Fuzz the running API with schemathesis against openapi.yaml (no 5xx, documented shapes)
	scripts/fuzz-api.sh

run: build ## Start the emulator, provision a demo service user, serve the API on http://127.0.0.1:$(PORT)
	PORT=$(PORT) scripts/run-local.sh

clean: ## Remove build output and local run state
	$(MVN) -q clean
	rm -rf .run .aws-sam
