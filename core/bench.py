"""The figures `manage.py bench` measures (issue 11), declared by each app in its own
`bench.py` (found the way the admin finds `admin.py`) with `@register`.

A page figure renders a page through Django's test client as a signed-in user, N
times; its time is the median wall time of the request. Its floor is the page's own
data: the statements Django ran for the rows the page shows and their bounded count,
captured with their parameters and replayed through the database backend's own
cursor (execute + fetchall, without Django's wrapper). What every page pays before
its data — the session, the user, their roles and permissions, the working
calendar, a stand-in's authority — is not the page's data: those statements are the
page's fixed cost, timed and reported beside it (`fixed_ms`), never in the floor.
Page and floor are timed in turn in one loop, so a busy moment of the machine
weighs on both. ratio = time / floor: how much the application adds on top of
what the database must do anyway for the same rows.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client

# --- the registry ------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    name: str
    group: str
    # measure(bench) -> one result dict, or several (a throughput run gives four)
    measure: Callable[[Bench], dict | list[dict]]
    goal: str = ""
    # check(line, lines) -> whether a result line meets the goal (None: not judged
    # here); `lines` are all the lines of the run, by name.
    check: Callable[[dict, dict], bool | None] | None = None


FIGURES: dict[str, Figure] = {}


def register(name: str, *, group: str, goal: str = "", check=None):
    def decorator(measure):
        if name in FIGURES:
            raise ValueError(f"Figure {name!r} is declared twice")
        FIGURES[name] = Figure(name, group, measure, goal, check)
        return measure

    return decorator


def ratio_at_most(limit: float):
    """A check: time / floor at most `limit`."""

    def check(line: dict, lines: dict) -> bool | None:
        return None if line.get("ratio") is None else line["ratio"] <= limit

    return check


def discover() -> dict[str, Figure]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("bench")
    return FIGURES


# --- measuring ---------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    params: object
    many: bool
    ms: float = 0.0

    @property
    def fixed(self) -> bool:
        """A statement of the page's fixed cost: it reads the session, the user,
        their roles and permissions or the calendar, and nothing of the page's
        data."""
        tables = tables_of(self.sql)
        return bool(tables) and tables <= FIXED_TABLES

    @property
    def reads(self) -> bool:
        """Only reads are replayed (a page's GET writes nothing; if it did, the
        write is counted, not repeated)."""
        words = self.sql.lstrip(" \n(").split(None, 1)
        return bool(words) and words[0].upper() in ("SELECT", "WITH", "VALUES")


# The tables every signed-in page reads before its own data (django.contrib's
# session and auth, the roles' permissions, the working calendar, the approval
# stand-ins): a statement reading these alone is the page's fixed cost.
FIXED_TABLES = frozenset(
    {
        "django_session",
        "accounts_user",
        "accounts_user_groups",
        "accounts_user_user_permissions",
        "auth_group",
        "auth_group_permissions",
        "auth_permission",
        "django_content_type",
        "accounts_workingweek",
        "accounts_calendarday",
        "accounts_calendaryear",
        "orders_approvaldelegation",
    }
)
_TABLE = re.compile(r'(?:FROM|JOIN)\s+"?([a-z_][a-z0-9_]*)"?', re.IGNORECASE)


def tables_of(sql: str) -> set[str]:
    return {name.lower() for name in _TABLE.findall(sql)}


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


class Capture:
    """The statements Django runs inside the block, with their parameters."""

    def __init__(self):
        self.statements: list[Statement] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(Statement(sql, params, many))
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)


@dataclass
class Bench:
    """One run of `manage.py bench`: the settings of the run and what figures share
    (the users they sign in as, the data size)."""

    runs: int = 7
    explain: bool = False
    base_url: str = ""
    seconds: int = 30
    users: tuple[int, ...] = (20, 50)
    out: Callable[[str], None] = print
    cache: dict = field(default_factory=dict)

    # -- what figures share --

    def remember(self, key, make):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    # The data the run measures ({"orders": N}), set by the command that runs it.
    size: dict = field(default_factory=dict)

    def data_size(self) -> dict:
        return self.size

    # -- timing --

    def page(self, user, url: str, *, explain: bool = False) -> dict:
        """Time GET `url` as `user`; floor: the page's own statements through a
        bare cursor, timed in turn with the page."""
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        response = client.get(url)  # warm-up: templates, caches, connection
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} as {user.username}: {response.status_code}")
        with Capture() as capture:
            response = client.get(url)
        result = self._alternate(lambda: client.get(url), capture.statements)
        result.update(
            {
                "queries": len(capture.statements),
                "bytes": len(response.content),
                "url": url,
                "user": user.username,
            }
        )
        if explain and connection.vendor == "postgresql":
            result["explain"] = self.explain_slowest(capture.statements)
        return result

    def call(self, fresh: Callable[[], object], function, *, explain=False) -> dict:
        """Time `function(fresh())` alone (`fresh()` is not timed: e.g. the user
        read again, so that nothing cached on the object from a run is reused)."""
        function(fresh())
        with Capture() as capture:
            function(fresh())
        argument = [None]

        def once():
            function(argument[0])

        result = self._alternate(
            once, capture.statements, before=lambda: argument.__setitem__(0, fresh())
        )
        result["queries"] = len(capture.statements)
        if explain and connection.vendor == "postgresql":
            result["explain"] = self.explain_slowest(capture.statements)
        return result

    def _alternate(self, work, statements: list[Statement], before=None) -> dict:
        """Time `work()`, the page's own reads and its fixed cost in turn, N times
        (after one warm-up of each): medians of each."""
        own = [s for s in statements if s.reads and not s.fixed]
        fixed = [s for s in statements if s.reads and s.fixed]
        times, floors, fixeds = [], [], []
        rows = 0
        for run in range(self.runs + 1):
            if before is not None:
                before()
            started = time.perf_counter()
            work()
            elapsed = time.perf_counter() - started
            floor, rows = self.replay(own)
            fixed_time, _rows = self.replay(fixed)
            if run:  # the first is a warm-up
                times.append(elapsed)
                floors.append(floor)
                fixeds.append(fixed_time)
        return {
            "median_ms": _median_ms(times),
            "floor_ms": _median_ms(floors),
            "fixed_ms": _median_ms(fixeds),
            "rows": rows,
            "floor_queries": len(own),
            "fixed_queries": len(fixed),
            "writes": len(statements) - len(own) - len(fixed),
        }

    def replay(self, statements: list[Statement]) -> tuple[float, int]:
        """The statements through the backend's own cursor, once: (seconds, rows)."""
        connection.ensure_connection()
        rows = 0
        cursor = connection.create_cursor()
        try:
            started = time.perf_counter()
            for statement in statements:
                one = time.perf_counter()
                if statement.many:
                    cursor.executemany(statement.sql, statement.params)
                else:
                    cursor.execute(statement.sql, statement.params)
                if cursor.description is not None:
                    rows += len(cursor.fetchall())
                statement.ms = (time.perf_counter() - one) * 1000
            return time.perf_counter() - started, rows
        finally:
            cursor.close()

    def explain_slowest(self, statements: list[Statement], n: int = 3) -> list[dict]:
        """EXPLAIN (ANALYZE, BUFFERS) of the page's own slowest statements."""
        own = [s for s in statements if s.reads and not s.fixed]
        self.replay(own)
        slowest = sorted(own, key=lambda s: -s.ms)[:n]
        return [self._explain(s) for s in slowest]

    def _explain(self, statement: Statement) -> dict:
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.params
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
            sql = cursor.mogrify(statement.sql, statement.params)
        if isinstance(sql, bytes):
            sql = sql.decode()
        return {"sql": sql, "ms": round(statement.ms, 3), "plan": plan}


def finish(figure: Figure, result: dict, bench: Bench) -> dict:
    """The JSON line of one result: the fixed keys first."""
    floor = result.get("floor_ms")
    line = {
        "name": result.get("name", figure.name),
        "median_ms": result.get("median_ms"),
        "floor_ms": floor,
        "ratio": round(result["median_ms"] / floor, 2)
        if floor and result.get("median_ms") is not None
        else None,
        "queries": result.get("queries"),
        "bytes": result.get("bytes"),
        "runs": result.get("runs", bench.runs),
        **bench.data_size(),
        "figure": figure.name,
        "group": figure.group,
        "goal": figure.goal,
    }
    for key, value in result.items():
        line.setdefault(key, value)
    return line


def judge(lines: list[dict]) -> None:
    """Set each line's "met" by its figure's check, once the run is complete."""
    by_name = {line["name"]: line for line in lines}
    for line in lines:
        figure = FIGURES.get(line.get("figure", line["name"]))
        if figure is not None and figure.check is not None:
            line["met"] = figure.check(line, by_name)
