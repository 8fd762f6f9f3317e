"""The throughput part of `manage.py bench`: gunicorn (3 workers, the settings this
command runs with) on a free loopback port, signed-in users, and locust headless
running a mix of pages at 20 and 50 concurrent users, then `/healthz/` the same way
on the same server. Every run is bounded in time and sends traffic to 127.0.0.1
only (or to `--base-url`, which must be a server of this machine)."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.test import Client

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
WORKERS = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {seconds} s")
        time.sleep(0.5)


def _drain(base_url: str, seconds: float = 180) -> None:
    """Wait until every worker is free again: requests a run left in flight (locust
    stops waiting; gunicorn does not) must not slow the next run down. Free means
    as many /healthz/ requests at once as there are workers, all answered fast."""
    from concurrent.futures import ThreadPoolExecutor

    def one(_):
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"{base_url}/healthz/", timeout=60):
                pass
        except OSError:
            return 60.0
        return time.monotonic() - started

    deadline = time.monotonic() + seconds
    with ThreadPoolExecutor(WORKERS * 2) as pool:
        while time.monotonic() < deadline:
            if max(pool.map(one, range(WORKERS * 2))) < 0.25:
                return
            time.sleep(1)


def static_ready(out) -> None:
    """Production's manifest storage needs collectstatic's manifest."""
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" not in backend:
        return
    if (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        return
    from django.core.management import call_command

    out("collectstatic (manifest storage) …")
    call_command("collectstatic", interactive=False, verbosity=0)


class Server:
    """gunicorn config.wsgi, started and stopped by this run."""

    def __init__(self, out):
        self.out = out
        self.process = None
        self.url = ""

    def __enter__(self):
        static_ready(self.out)
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ]
        self.out(f"starting {' '.join(command[2:])}")
        self.process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
        _wait(f"{self.url}/healthz/")
        return self

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _session_cookie(user) -> str:
    """A signed-in session for `user`, as a browser would hold it. The server must
    share this database and SECRET_KEY."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _check(base_url: str, cookie: str, path: str) -> None:
    request = urllib.request.Request(
        base_url + path,
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
    )
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=60) as response:
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} (not signed in?)")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _locust(base_url: str, scenario: Path, target: str, users: int, seconds: int):
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "run"
        env = dict(os.environ, BENCH_SCENARIO=str(scenario), BENCH_TARGET=target)
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            base_url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "5",
        ]
        subprocess.run(
            command, env=env, check=False, timeout=seconds + 120, capture_output=True
        )
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        failures = _failures(Path(f"{prefix}_failures.csv"))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    by_name = {
        r["Name"]: {
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "p50_ms": _ms(r["50%"]),
            "p95_ms": _ms(r["95%"]),
            "rps": round(float(r["Requests/s"]), 1),
        }
        for r in rows
        if r["Name"] != "Aggregated"
    }
    return {
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": _ms(total["50%"]),
        "p95_ms": _ms(total["95%"]),
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "by_page": by_name,
        "failures": failures,
    }


def _ms(value: str) -> float | None:
    """A percentile from locust's CSV ("N/A" when no request finished)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _failures(path: Path) -> list[str]:
    """What went wrong, as locust counted it (first few kinds)."""
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return [
            f"{row['Occurrences']}× {row['Name']}: {row['Error'][:160]}"
            for row in list(csv.DictReader(handle))[:5]
        ]


def run_throughput(bench, mix: list[dict]) -> list[dict]:
    """Four results: the mix and /healthz/, at each number of users."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        scenario = Path(folder) / "scenario.json"

        def measure(base_url: str):
            people = []
            for entry in mix:
                cookie = _session_cookie(entry["user"])
                # Signed in, and every page of the mix answers (a cold server's
                # first requests are not measured either).
                for paths in entry["paths"].values():
                    for path in paths[:3]:
                        _check(base_url, cookie, path)
                people.append(
                    {
                        "user": entry["user"].username,
                        "cookie": cookie,
                        "paths": entry["paths"],
                    }
                )
            scenario.write_text(
                json.dumps(
                    {"cookie_name": settings.SESSION_COOKIE_NAME, "people": people}
                ),
                encoding="utf-8",
            )
            for users in bench.users:
                for target in ("mix", "healthz"):
                    _drain(base_url)
                    bench.out(f"locust {target}, {users} users, {bench.seconds} s …")
                    figures = _locust(base_url, scenario, target, users, bench.seconds)
                    results.append(
                        {
                            "name": f"throughput.{target}.{users}u",
                            "users": users,
                            "seconds": bench.seconds,
                            "workers": WORKERS if not bench.base_url else None,
                            "runs": 1,
                            **figures,
                        }
                    )

        if bench.base_url:
            measure(bench.base_url.rstrip("/"))
        else:
            with Server(bench.out) as server:
                measure(server.url)
    by_users = {}
    for result in results:
        by_users.setdefault(result["users"], {})[result["name"].split(".")[1]] = result
    for pair in by_users.values():
        if "mix" in pair and "healthz" in pair and pair["healthz"]["rps"]:
            pair["mix"]["vs_healthz"] = round(
                pair["mix"]["rps"] / pair["healthz"]["rps"], 3
            )
    return results
