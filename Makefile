# Soundstack: `make run` serves on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 3
WORKERS ?= 1

.PHONY: run test lint typecheck layers deadcode pytest install chromium bench bench-media clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps soundcloud==0.5.0
	$(BIN)/pip install --quiet --no-deps --upgrade --target $(VENV)/isolated/soundcloud_v2 soundcloud-v2==1.7.0
	@# the npm client of the contract tests, pinned, into a local folder (needs Node.js >= 20)
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(VENV)/npm soundcloud-api-ts@1.13.4; \
	else echo "npm not found: tests/contract/test_npm_soundcloud_api_ts.py needs Node.js"; fi
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/alembic upgrade head
	$(BIN)/litestar seed --if-empty
	rm -rf var/metrics && mkdir -p var/metrics
	PROMETHEUS_MULTIPROC_DIR=var/metrics $(BIN)/granian --interface asgi --factory app.main:create_app --host $(HOST) --port $(PORT) \
		--workers $(WORKERS) --no-ws --loop uvloop --respawn-failed-workers --log-config deploy/granian-logging.json

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

deadcode: $(STAMP)
	$(BIN)/vulture

# The browser tests drive Debian's Chromium (Playwright uses it; it downloads no browser).
# Installed here when missing: as root with apt-get, else with `sudo -n` when that needs no
# password; otherwise this says how, and the browser tests skip (they fail under CI=true).
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "note: Chromium is missing; run 'sudo apt-get install chromium chromium-driver' for the browser tests"; fi

pytest: $(STAMP) chromium
	@# PYTHONDONTWRITEBYTECODE (set on some machines) would make every process the tests start
	@# compile the app and the tests again: bytecode is cached here (.gitignore has __pycache__)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=25

# The static checks first, side by side (each is one process on one core: mypy takes the longest,
# the others run next to it), then the tests; the first failure stops it.
test: $(STAMP)
	@$(MAKE) --no-print-directory -j4 --output-sync=target lint typecheck layers deadcode
	@$(MAKE) --no-print-directory pytest

# the benchmark's own dependencies (the FastAPI/ORM peer, RSS sampling): not needed by `make test`
$(BENCH_STAMP): $(STAMP) pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# media: app RSS during a 200 MB upload, and media-edge throughput (local, S3 proxy, S3 redirect)
bench-media: $(BENCH_STAMP)
	$(BIN)/python -m bench.upload_rss
	$(BIN)/python -m bench.media_delivery

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache .import_linter_cache
