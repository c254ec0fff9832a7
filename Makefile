# Two commands for a fresh machine: `make run` and `make test`. Both are safe to repeat.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.13 through pyenv (see .python-version), else any python3.13 on the PATH.
PYTHON ?= $(shell command -v python3.13 || pyenv which python3.13 2>/dev/null || ls -d /root/.pyenv/versions/3.13*/bin/python3 2>/dev/null | tail -n 1)
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DJANGO_DEBUG=1
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help setup run test test-browser lint messages compilemessages bench lighthouse clean

help:
	@echo "make run    set up and serve the portal with Timrå's data on http://127.0.0.1:8000"
	@echo "make test   run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"

$(BIN)/uv:
	@test -n "$(PYTHON)" || { echo "Python 3.13 not found: install it with pyenv (pyenv install 3.13)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.make/python-deps: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --inexact --quiet --python $(BIN)/python
	@mkdir -p .make && touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

.make/messages: .make/python-deps $(wildcard locale/*/LC_MESSAGES/*.po)
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
	@mkdir -p .make && touch $@

# The portal's Bootstrap, from Bootstrap's Sass sources (static/scss), served from build/static.
build/static/css/bootstrap.css: node_modules/.package-lock.json $(wildcard static/scss/*.scss)
	npm run --silent build:css

setup: .make/python-deps node_modules/.package-lock.json build/static/css/bootstrap.css .make/messages

.make/demo-admin-password:
	@mkdir -p .make
	@$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(12))" > $@

run: setup .make/demo-admin-password
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input -v0
	$(DEV_ENV) $(BIN)/python manage.py load_municipalities
	$(DEV_ENV) $(BIN)/python manage.py load_timra
	$(DEV_ENV) $(BIN)/python manage.py load_timra_dialogues
	$(DEV_ENV) $(BIN)/python manage.py seed_demo --admin-password "$$(cat .make/demo-admin-password)"
	$(DEV_ENV) $(BIN)/python manage.py seed_demo_staff --password "$$(cat .make/demo-admin-password)"
	@echo ""
	@echo "  Portal:      http://127.0.0.1:8000/"
	@echo "  Admin:       http://127.0.0.1:8000/admin/"
	@echo "  Demo login:  admin / $$(cat .make/demo-admin-password)   (development only)"
	@echo "  Staff pages: http://127.0.0.1:8000/personal/  as kommunpolis, trygghetssamordnare"
	@echo "               or sekreterare (admin), same password"
	@echo ""
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

# The load generator is ApacheBench (Debian's apache2-utils), installed here when
# missing and we may. BENCH_ARGS="--scale 20 --seconds 3" for a quick run;
# DATABASE_URL and REDIS_URL as for the portal itself. Results in .bench/<commit>.json.
bench: setup
	@command -v ab >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null; } \
		|| { echo "ApacheBench (ab) is missing: apt-get install apache2-utils"; exit 1; }
	$(BIN)/python scripts/bench.py --json .bench/$$(git rev-parse --short HEAD).json $(BENCH_ARGS)

# Lighthouse (mobile) on the start, promise and meeting pages behind nginx: 100 in every
# category and a first view of at most 45 KB, or it fails (scripts/lighthouse.py).
lighthouse: setup
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; } \
		|| { echo "nginx is missing: apt-get install nginx-light"; exit 1; }
	$(BIN)/python scripts/lighthouse.py $(LIGHTHOUSE_ARGS)

lint: .make/python-deps
	$(BIN)/ruff check .

messages: .make/python-deps
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=tests --no-obsolete

compilemessages: .make/messages

clean:
	rm -rf $(VENV) node_modules .make staticfiles build
