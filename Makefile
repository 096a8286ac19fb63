# brief — developer commands. See README.md.
#   make serve   create .venv, install brief, build the sample site, serve it with live reload on http://127.0.0.1:8000/
#   make build   build the sample site into public/
#   make test    install what the tests need (Chromium, Java, nginx, npm tools), lint, type check, run the whole suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
APT    := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: build serve test test-fast venv test-deps clean lint

# brief's own bytecode, written even where PYTHONDONTWRITEBYTECODE is set (pip does this for
# an installed package; the editable install here does not): each `brief` command would
# otherwise compile its 120 modules again, about 0.17 s of every run on 2 cores.
venv: $(VENV)/.installed
	@$(BIN)/python -m compileall -q brief >/dev/null

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

build: venv
	$(BIN)/brief build

# The live preview: builds in memory (never into public/), rebuilds on save,
# reloads the browser. PORT=8001 make serve to use another port.
serve: venv
	$(BIN)/brief serve --port $(PORT)

# System packages the browser, HTML-validation and deploy (nginx) tests use, installed when missing.
test-deps: venv
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(APT) update -qq && $(APT) install -y -qq $$missing; \
	fi
	@test -d node_modules/vnu-jar -a -d node_modules/axe-core || npm ci --no-audit --no-fund --loglevel=error

# Lint, format and type check: CI fails on any of them (settings in pyproject.toml).
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Two test processes (pytest-xdist): the suite waits on subprocesses, browsers and servers
# much of the time, and two were measured stable on 2 cores (see README › Development).
test: test-deps lint
	$(BIN)/python -m pytest -n auto --maxprocesses=2

# The inner loop: all but tests/system/ (no browser, HTML validator, nginx or node_modules)
# and the tests marked slow, on every core (pytest-xdist): under 3 minutes on 2 cores (see README).
test-fast: venv
	$(BIN)/python -m pytest -m "not system and not slow" -q -n auto

clean:
	rm -rf public .public.* .preview .preview.* node_modules $(VENV) .pytest_cache .hypothesis
