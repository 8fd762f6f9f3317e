"""A real Celery worker in a subprocess, on the machine's Redis (a database number
and a queue of the test's own, so other tests' workers never see its tasks) and on
the test's PostgreSQL database, with a short test-only visibility timeout."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 4


def redis_url() -> str | None:
    """The machine's Redis, on database 13; None when it does not answer."""
    base = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    parts = urlsplit(base)
    try:
        socket.create_connection(
            (parts.hostname, parts.port or 6379), timeout=1
        ).close()
    except OSError:
        return None
    return urlunsplit(parts._replace(path="/13"))


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    def __init__(self, broker: str, *, concurrency: int = 2, extra_env=None):
        self.broker = broker
        self.queue = f"reminders-test-{uuid.uuid4().hex[:8]}"
        self.concurrency = concurrency
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log = Path(f"/tmp/{self.queue}.log")

    def env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.broker,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            # a message a killed worker held comes back after the visibility timeout,
            # not after kombu's default sweep of about 100 s
            "CELERY_UNACKED_RESTORE_SECONDS": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            "REMINDERS_RETRY_SECONDS": "1",
            **self.extra_env,
        }

    def start(self) -> Worker:
        out = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                self.queue,
                "-c",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
                "-n",
                f"{self.queue}-{uuid.uuid4().hex[:4]}@%h",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its children, as a crash or the OOM killer would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def wait_for(check, timeout: float = 60, what: str = "", worker: Worker | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    tail = worker.output()[-3000:] if worker else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")
