# 护商通 — the two commands: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed

.PHONY: run test setup deps migrate seed lint clean bench serve backup restore

run: setup seed
	@echo ""
	@echo "护商通: http://127.0.0.1:8000  (Ctrl-C 停止 web、Celery worker 与 beat)"
	@$(PY) manage.py demo_logins 2>/dev/null || true
	$(VENV)/bin/honcho start -f Procfile

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

setup: deps migrate

deps: $(STAMP_PY) $(STAMP_NPM)

$(STAMP_PY): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

migrate: deps
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 1
	$(PY) manage.py sync_calendar
	$(PY) manage.py collectstatic --noinput -v 0

seed: migrate
	@if $(PY) manage.py help seed_demo >/dev/null 2>&1; then $(PY) manage.py seed_demo; fi

# Production: gunicorn (WEB_CONCURRENCY workers), Celery workers and beat, DEBUG off (SECRET_KEY,
# ALLOWED_HOSTS… from the environment or .env; see docs/deployment.md). Exactly one machine runs
# beat, and it is the one that migrates: on the others `make serve SERVE="web worker"`.
SERVE ?= web worker beat
serve: export DEBUG := false
serve: deps
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py collectstatic --noinput -v 0
	@case " $(SERVE) " in *" beat "*) $(PY) manage.py migrate --noinput -v 1 && $(PY) manage.py sync_calendar;; esac
	$(VENV)/bin/honcho start -f Procfile.production $(SERVE)

# A dated archive of the database and the uploaded files under BACKUP_DIR (var/backups);
# `make restore ARCHIVE=var/backups/hushangtong-….tar.gz` puts one back (stop serving first).
backup: deps
	$(PY) manage.py backup

restore: deps
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=var/backups/hushangtong-YYYYmmdd-HHMMSS.tar.gz"; exit 2; }
	$(PY) manage.py restore "$(ARCHIVE)"

# The hot paths on their own PostgreSQL database (BENCH_DATABASE_URL, created and dropped):
# make bench SCALE=100k|1m|tiny; the table is printed and written to var/bench/results.json.
SCALE ?= 100k
bench: deps
	$(PY) -m bench --scale $(SCALE)

lint: deps
	$(VENV)/bin/ruff check .

clean:
	rm -rf var $(VENV) node_modules
