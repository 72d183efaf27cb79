# sangsaeng: `make run` starts the platform, `make test` runs every check. Both set up .venv first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
SANGSAENG := $(VENV)/bin/sangsaeng
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint bench setup assets system-deps browser-deps npm-tools drawer-deps contracts-check messages migrate \
	test-sqlite test-postgres e2e clean fuzz audit

$(STAMP): pyproject.toml requirements.lock requirements-contracts.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=24"
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -r requirements-contracts.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP) messages assets

# Front-end libraries from npm, pinned and vendored into static/ at build time (never a CDN):
# Apache ECharts draws the partner dashboards.
ECHARTS := echarts@6.1.0
ECHARTS_JS := sangsaeng/insights/static/insights/vendor/echarts.min.js
assets: $(ECHARTS_JS)
$(ECHARTS_JS):
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
	@echo "vendoring $(ECHARTS) into $(@D)/"
	@npm install --prefix .npm-assets --no-audit --no-fund --silent $(ECHARTS)
	@mkdir -p $(@D) && cp .npm-assets/node_modules/echarts/dist/echarts.min.js $@

# gettext compiles the Korean/English catalogues; installed from Debian when missing.
system-deps:
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }

messages: system-deps $(STAMP)
	@cd sangsaeng && ../$(PY) -m django compilemessages --settings=sangsaeng.settings -v 0 --ignore '.venv'

# Debian's Chromium and Korean fonts for the browser tests.
browser-deps:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi nanum || { \
	  echo "installing chromium and Korean fonts from Debian"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum >/dev/null; }

# Real clients from npm, pinned and project-local in .npm-tools/: the official Bitwarden CLI for the
# vault's protocol test, and anvil, the "real node" the chain tests run besides the embedded one.
NPM_TOOLS := @bitwarden/cli@2026.6.0 @foundry-rs/anvil@1.7.1
npm-tools:
	@test -x .npm-tools/node_modules/.bin/bw && test -x .npm-tools/node_modules/.bin/anvil || { \
	  command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }; \
	  echo "installing $(NPM_TOOLS) into .npm-tools/"; \
	  npm install --prefix .npm-tools --no-audit --no-fund --silent $(NPM_TOOLS); }

# Debian's litmus (WebDAV suite) and rclone for the Drawer's real-client tests.
drawer-deps:
	@command -v litmus >/dev/null && command -v rclone >/dev/null || { \
	  echo "installing litmus and rclone from Debian"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq litmus rclone >/dev/null; }

migrate: setup
	$(SANGSAENG) migrate --noinput -v 0

run: migrate
	$(SANGSAENG) demo --if-empty
	$(SANGSAENG) serve

lint: setup contracts-check audit
	$(VENV)/bin/ruff check sangsaeng bench e2e
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy sangsaeng bench

# Known vulnerabilities in the pinned dependencies fail the build (pip-audit against PyPI's advisories;
# scripts/audit.py says how and lists each ignored advisory with its reason).
audit: setup
	$(PY) scripts/audit.py requirements.lock requirements-contracts.lock

# The committed contract artifacts must be what the sources compile to.
contracts-check: setup
	$(SANGSAENG) chain build --check

# The browser tests get a test database in a file (see TEST_SQLITE_FILE in settings.py). The crash tests
# (marker whole_platform) run in the PostgreSQL pass instead, to even out the two passes' time.
test-sqlite: setup browser-deps npm-tools drawer-deps
	env -u DATABASE_URL -u REDIS_URL $(VENV)/bin/pytest -q -p no:randomly --durations=15 -m "not e2e and not whole_platform"
	@mkdir -p var/e2e && rm -f var/e2e/test.sqlite3*
	env -u DATABASE_URL -u REDIS_URL TEST_SQLITE_FILE=var/e2e/test.sqlite3 $(VENV)/bin/pytest -q -p no:randomly e2e

# PostgreSQL and Redis, when reachable; required when CI=true.
test-postgres: setup npm-tools
	@TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}; \
	REDIS=$${REDIS_URL:-redis://127.0.0.1:6379/0}; \
	if $(PY) -m sangsaeng.core.reachable "$$TEST_DATABASE_URL" "$$REDIS"; then \
	  echo "== suite on PostgreSQL + Redis"; \
	  DATABASE_URL=$$TEST_DATABASE_URL REDIS_URL=$$REDIS $(VENV)/bin/pytest -q --durations=15 -m "not e2e and (not backend_free or whole_platform)"; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL or Redis unreachable and CI=true" >&2; exit 1; \
	else echo "PostgreSQL or Redis not reachable here: skipped the second run"; fi

# The two passes run side by side (they share nothing: an in-memory SQLite database against
# PostgreSQL + Redis); each prints its report when it ends.
test: lint
	@echo "== the SQLite and PostgreSQL passes run side by side; each prints its report when it ends"
	@$(MAKE) --no-print-directory --output-sync=target -j2 test-sqlite test-postgres

# Every benchmark of bench.BENCHMARKS, each in its own process, into bench/RESULTS.md with PNG plots
# (bench/plots/) and raw samples (bench/results/); exits non-zero when one failed.
# `make bench BENCH_ARGS='--preset quick'` runs the smaller sizes of bench/presets.py: 84 minutes of benchmark
# processes on the shared 2-core box (load average 9-12), most of it start-up and migrations.
BENCH_ARGS ?=
bench: setup
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(SANGSAENG) bench --all --results bench/RESULTS.md $(BENCH_ARGS)

# A long fuzz run (CI runs a bounded one inside `make test`): schemathesis over /api/v1 with its
# coverage phase, and the protocol fuzzers (Bitwarden, tus, WebDAV, OIDC, /v1), not derandomized.
fuzz: setup
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-300} FUZZ_PROTOCOL_EXAMPLES=$${FUZZ_PROTOCOL_EXAMPLES:-2000} FUZZ_LONG=1 \
	  env -u DATABASE_URL -u REDIS_URL $(VENV)/bin/pytest -q -p no:randomly sangsaeng/*/tests/test_*fuzz.py

clean:
	rm -rf $(VENV) var/e2e .npm-tools
