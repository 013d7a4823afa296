# medscribe — two commands on a fresh machine (Python 3.11–3.14 and make):
#   make demo   set everything up and run the pipeline locally on the shipped sample dictation
#   make test   set everything up and run every test
# The venv's interpreter: PYTHON (python3 by default), e.g. `make demo PYTHON=python3.13`. Naming another
# Python than the existing .venv's makes .venv again with it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYVER  = $(shell $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)

ifneq ($(origin PYTHON),file)
ifneq ($(call PYVER,$(PYTHON)),$(call PYVER,$(BIN)/python))
.PHONY: venv-python-changed
venv-python-changed:
$(STAMP): venv-python-changed
endif
endif

.PHONY: demo test look check-wheels lint validate bench-quality bench bench-front events clean ci aws-venv scan-venv soak score-drafts

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) scripts/python_deps.py
	@have=$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true); \
	want=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	if [ -n "$$have" ] && [ "$$have" != "$$want" ]; then \
		echo "$(VENV) is Python $$have, PYTHON=$(PYTHON) is $$want: making $(VENV) again" >&2; rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[local,dev]'
	touch $(STAMP)

venv: $(STAMP)

# The AWS CLI (v1, pinned) in its own venv: it pins botocore exactly. The endpoint tests drive local mode with it.
AWS_VENV := .aws-venv
AWSCLI_VERSION := 1.46.3
$(AWS_VENV)/.installed-$(AWSCLI_VERSION):
	$(PYTHON) -m venv $(AWS_VENV)
	$(AWS_VENV)/bin/python -m pip install --quiet awscli==$(AWSCLI_VERSION)
	touch $@

aws-venv: $(AWS_VENV)/.installed-$(AWSCLI_VERSION)

# Template scanners (checkov, cfn-lint) in their own venv: checkov pins many libraries the project also uses.
# cfn-lint is the version SAM CLI 1.170.0 ships (scripts/sam_validate.sh). Accepted findings, each with its
# reason: .checkov.yaml (and Metadata.checkov.skip in template.yaml), .cfnlintrc.
SCAN_VENV := .scan-venv
CHECKOV_VERSION := 3.3.30
CFN_LINT_VERSION := 1.58.0
$(SCAN_VENV)/.installed-$(CHECKOV_VERSION)-$(CFN_LINT_VERSION):
	$(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet checkov==$(CHECKOV_VERSION) cfn-lint==$(CFN_LINT_VERSION)
	touch $@

scan-venv: $(SCAN_VENV)/.installed-$(CHECKOV_VERSION)-$(CFN_LINT_VERSION)

demo: $(STAMP)
	$(BIN)/medscribe run samples/dictation.wav --out out

# The console's browser test needs Chromium + its driver: scripts/browser_deps.sh installs them (root/sudo + apt)
# or stops at once with the command to run, before any venv is made (browser-deps); on macOS it finds Chrome/Chromium.
# One pytest-xdist worker more than the machine has cores (3 on 2 cores: much of a test's time is spent waiting on
# subprocesses, PostgreSQL and the disk), each with its own basetemp, PostgreSQL and free ports; a module (and all
# of tests/api) runs whole on one worker, so its fixtures start once (tests/conftest.py; docs/testing.md, "Speed
# and isolation"). PYTEST_WORKERS=N: N workers; PYTEST_WORKERS=0: one process (a plain `.venv/bin/python -m pytest`).
CORES := $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
PYTEST_WORKERS ?= $(shell echo $$(( $(CORES) + 1 )))
.PHONY: browser-deps
browser-deps:
	@bash scripts/browser_deps.sh >/dev/null

# The package's bytecode is written first: the suite starts ~300 Python processes (CLI runs, `serve`, spawned worker
# pools) that import src/ (an editable install, which pip does not compile), and with PYTHONDONTWRITEBYTECODE set
# (as on many CI images) each compiled those modules again (~0.07 s of CPU per process); compileall writes
# __pycache__ (git-ignored) whatever that variable says, and only for files changed since.
test: browser-deps $(STAMP) aws-venv
	@$(BIN)/python -m compileall -q -j 0 src lambdas >/dev/null
	@browser=$$(bash scripts/browser_deps.sh) && env $$browser $(BIN)/python -m pytest \
		$(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

# Every runtime dependency (pyproject runtime + local extras, constraints.txt pins) has a manylinux x86_64 wheel
# for CPython 3.11, 3.12, 3.13 and 3.14 (pip resolves them with --only-binary=:all:; ~1-2 min, network-bound).
check-wheels: $(STAMP)
	$(BIN)/python scripts/check_wheels.py

lint: $(STAMP) scan-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	for app in lambdas/*/app.py; do $(BIN)/mypy "$$app" || exit 1; done
	AWS_DEFAULT_REGION=us-east-1 $(SCAN_VENV)/bin/cfn-lint
	$(SCAN_VENV)/bin/checkov --config-file .checkov.yaml

validate: $(STAMP)
	$(BIN)/python scripts/lint_asl.py
	bash scripts/sam_validate.sh

# A plan of the house: rooms, module-level import circles, the largest files (last line JSON).
look: $(STAMP)
	$(BIN)/python scripts/house.py

bench-quality: $(STAMP)
	$(BIN)/python scripts/bench_quality.py

# Held-out draft notes (corpus/drafts): silent dangerous errors, weak flags, entity P/R; last line JSON.
# SCORE_DRAFTS_ARGS="--source legacy" for today's draft, or --command "medscribe draft -".
score-drafts: $(STAMP)
	$(BIN)/python scripts/score_drafts.py $(SCORE_DRAFTS_ARGS)

bench: $(STAMP)
	$(BIN)/python scripts/bench_local.py

# 40 recordings through BackfillPipeline vs one by one, same warm local stack: the throughput ratio.
.PHONY: bench-backfill
bench-backfill: $(STAMP)
	$(BIN)/python scripts/bench_backfill.py

# Front door figures through `medscribe serve`: POST -> COMPLETED, GET p50/p95, the attack table.
# Search through `medscribe serve`: 10,000 seeded recordings, p50/p95 of 200 searches, EXPLAIN evidence.
.PHONY: bench-search
bench-search: $(STAMP)
	$(BIN)/python scripts/bench_search.py

bench-front: $(STAMP)
	$(BIN)/python scripts/bench_front_door.py
# 100 concurrent recordings in one local stack: terminal/succeeded/lost/duplicated rows and events, throughput.
soak: $(STAMP)
	$(BIN)/python scripts/soak.py
# Cold start as deployed: each function with only its layers, built by their Makefiles (sam build's
# BuildMethod: makefile recipe) for python3.12, loaded like the Lambda runtime; last line is JSON.
.PHONY: bench-coldstart
bench-coldstart: $(STAMP)
	$(BIN)/python scripts/bench_coldstart.py

# A moto upgrade trial (docs/emulator.md): the newest moto on the index (or MOTO=X.Y.Z) in a clone of HEAD with its
# own .venv under out/moto-next; the patched targets compared, the canaries run, SUITE=1 the whole suite. Last line JSON.
.PHONY: moto-next
moto-next: $(STAMP)
	$(BIN)/python scripts/moto_next.py --python $(PYTHON) $(if $(MOTO),--moto $(MOTO)) $(if $(SUITE),--suite)

# Regenerate events/ and tests/statemachine/MockConfigFile.json from one real local run.
events: $(STAMP)
	$(BIN)/python scripts/make_events.py

ci: lint validate test

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache .aws-sam .aws-venv .scan-venv
