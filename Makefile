# Two commands set everything up on a fresh machine:
#   make run   - create .venv, migrate the SQLite database, load the demo data, serve on :$(PORT)
#                (PORT=8001 make run; 8000 unless said)
#   make test  - create .venv, install the browser and gettext when missing, run every test
#   make test-fast - every test but the browser ones (tests/browser/, marked `browser`)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-fast lint messages clean bench-smoke

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The worker runs imports and large exports (README, "Background jobs"); it stops when make does
# (Ctrl-C, or the server failing to start): a watcher kills it once make's process is gone. It
# starts after the demo is written: loading the demo holds SQLite's write lock longer than the
# worker waits for it (20 s), and the worker stopped with "database is locked".
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --address 127.0.0.1:$(PORT)
	$(PY) manage.py raise_supervision
	$(PY) manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	  (while kill -0 $$PPID 2>/dev/null; do sleep 1; done; kill $$worker 2>/dev/null) &
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Tests run on $(TEST_WORKERS) processes (pytest-xdist), each with its own test database; a test
# file stays on one process, so a module's fixtures (the demo) load once. TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

test: $(STAMP)
	scripts/ensure-system-packages.sh
	$(PYTEST) $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

# The HTTP benchmark on a small generated PostgreSQL database: every page answers as its role.
BENCH_DB := weidu_bench_smoke
bench-smoke: $(STAMP)
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_DB)
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	# The server runs with production settings, which refuse the development keys: the data is
	# written and served under keys made for this run (README, "Cryptography").
	export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) \
	  PII_KEYS=bench:$$(head -c 16 /dev/urandom | base64) \
	  PII_INDEX_KEY=$$(head -c 32 /dev/urandom | base64) \
	  TRAIL_KEY=$$(head -c 32 /dev/urandom | base64); \
	$(PY) manage.py migrate -v0 && \
	$(PY) manage.py generate_scale --preset small && \
	$(PY) bench/http_load.py --smoke

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Refresh the zh-hans catalogue after marking new strings, then translate and compile it.
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
