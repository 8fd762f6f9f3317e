# Two commands for a newcomer: `make run` and `make test`. Only Python 3.11 is needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-dev messages lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_calendar
	$(BIN)/python manage.py seed_demo
	@echo "Serving http://127.0.0.1:$(PORT)  (sign in as sales1 / demo1234; Ctrl-C stops)"
	@[ -n "$$REDIS_URL$$CELERY_BROKER_URL" ] || echo "No broker set (REDIS_URL): reminders do not run by themselves; run them with \
	$(BIN)/python manage.py send_reminders  (or the admin's 提醒运行记录 → run now)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Needs GNU gettext (developers only); the compiled .mo files are committed.
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --no-obsolete --no-location
	$(BIN)/python manage.py compilemessages --ignore=.venv

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
