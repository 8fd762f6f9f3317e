"""docs/benchmarks.md, generated from the runs saved under docs/benchmarks/ (one JSON
file per data size; a later run of some figures replaces those figures only)."""

from __future__ import annotations

import json
import os
import platform
import shlex
import subprocess
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.utils import timezone

DOCS = Path(settings.BASE_DIR) / "docs"
FOLDER = DOCS / "benchmarks"
MARKDOWN = DOCS / "benchmarks.md"
# Under FOLDER: the runs before the optimisations of issue 11, kept to compare
# against; and what the figures mean and where the time goes, written by hand.
BASELINE = "baseline"
# The runs of issues 11-17, whose floor replayed every statement of the request (the
# session, the user, the roles and the calendar included): kept beside the runs
# judged by the page's own reads, never mixed with them.
FIRST_METHOD = "replayed-floor"
ANALYSIS = "analysis.md"
CROSS_SIZE_LIMIT = 1.5


def size_label(orders: int) -> str:
    if orders >= 1_000_000:
        return f"{round(orders / 1_000_000)}m"
    return f"{max(1, round(orders / 1000))}k"


def machine() -> dict:
    cpu = platform.processor()
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                cpu = row.split(":", 1)[1].strip()
                break
        memory = next(
            int(row.split()[1]) // 1024
            for row in Path("/proc/meminfo").read_text().splitlines()
            if row.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = None
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": memory,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": connection.vendor,
        "settings": settings.SETTINGS_MODULE,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
            for name in ("shared_buffers", "work_mem", "effective_cache_size"):
                cursor.execute(f"SHOW {name}")
                info[name] = cursor.fetchone()[0]
    return info


def data_counts() -> dict:
    from orders.models import Customer, Order, OrderEvent, OrderLine

    counts = {}
    for label, model in (
        ("orders", Order),
        ("order lines", OrderLine),
        ("order events", OrderEvent),
        ("customers", Customer),
    ):
        counts[label] = model.objects.count()
    from accounts.models import User

    counts["users"] = User.objects.count()
    return counts


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def command_line(argv: list[str]) -> str:
    """The command as it was run, with the settings and the database (not its
    credentials)."""
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        where = f"postgres://{db.get('USER') or ''}@{db.get('HOST') or ''}"
        where += f":{db.get('PORT') or 5432}/{db['NAME']}"
    else:
        where = f"{connection.vendor}:///{db['NAME']}"
    return (
        f"DJANGO_SETTINGS_MODULE={settings.SETTINGS_MODULE} DATABASE_URL={where} "
        f"python manage.py {shlex.join(argv)}"
    )


def save_run(
    lines: list[dict], *, command: str, note: str, runs: int, load=None
) -> Path:
    counts = data_counts()
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"{size_label(counts['orders'])}.json"
    saved = (
        json.loads(path.read_text(encoding="utf-8"))
        if path.exists()
        else {"lines": {}, "runs": []}
    )
    saved["machine"] = machine()
    saved["data"] = counts
    saved["runs"].append(
        {
            "command": command,
            "date": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "commit": _commit(),
            "note": note,
            "runs": runs,
            "figures": len(lines),
            # The machine's 1-minute load average at the start and the end: the
            # figures of a run on a busy machine are not comparable.
            "load": [round(x, 2) for x in load] if load else None,
        }
    )
    for line in lines:
        saved["lines"][line["name"]] = line
    path.write_text(
        json.dumps(saved, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return path


# --- the document ----------------------------------------------------------------------


def _load(folder: Path | None = None) -> list[dict]:
    folder = FOLDER if folder is None else folder
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")]
    return sorted(runs, key=lambda r: r["data"]["orders"])


def _before_after(runs: list[dict]) -> list[str]:
    """Each size's figures now against the same figures of the baseline run."""
    before = {size_label(r["data"]["orders"]): r for r in _load(FOLDER / BASELINE)}
    out = []
    for run in runs:
        label = size_label(run["data"]["orders"])
        old = before.get(label)
        if old is None:
            continue
        names = [
            n
            for n in _names_in_order(run)
            if n in old["lines"] and run["lines"][n].get("group") != "throughput"
        ]
        if not names:
            continue
        out += [
            f"## Before and after, {label}",
            "",
            "Median ms and queries of the baseline (the code before issue 11, same "
            "data) against this run.",
            "",
            "| figure | before ms | after ms | after / before | before queries "
            "| after queries |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name in names:
            a, b = old["lines"][name], run["lines"][name]
            was, now = a.get("median_ms"), b.get("median_ms")
            out.append(
                f"| `{name}` | {_n(was)} | {_n(now)} | "
                f"{_n(now / was if was and now is not None else None, 2)} | "
                f"{_n(a.get('queries'), 0)} | {_n(b.get('queries'), 0)} |"
            )
        out.append("")
    return out


def _floor_then_and_now(runs: list[dict]) -> list[str]:
    """Each size's floor and ratio by the first method (every statement replayed)
    against this run's (the page's own reads, the fixed cost apart)."""
    then = {size_label(r["data"]["orders"]): r for r in _load(FOLDER / FIRST_METHOD)}
    out = []
    for run in runs:
        label = size_label(run["data"]["orders"])
        old = then.get(label)
        if old is None:
            continue
        names = [
            n
            for n in _names_in_order(run)
            if n in old["lines"] and run["lines"][n].get("floor_ms") is not None
        ]
        if not names:
            continue
        out += [
            f"## The floor, then and now, {label}",
            "",
            "The same figures by the first method (the floor replayed every statement "
            "of the request) and by this one (the page's own reads; the fixed cost "
            "every page pays apart). Kept in `docs/benchmarks/replayed-floor/`.",
            "",
            "| figure | then ms | then floor | then ratio | now ms | now floor "
            "| now fixed | now ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name in names:
            a, b = old["lines"][name], run["lines"][name]
            out.append(
                f"| `{name}` | {_n(a.get('median_ms'))} | {_n(a.get('floor_ms'))} "
                f"| {_n(a.get('ratio'), 2)} | {_n(b.get('median_ms'))} "
                f"| {_n(b.get('floor_ms'))} | {_n(b.get('fixed_ms'))} "
                f"| {_n(b.get('ratio'), 2)} |"
            )
        out.append("")
    return out


def _names_in_order(run: dict) -> list[str]:
    return [line["name"] for line in _in_declared_order(list(run["lines"].values()))]


def _n(value, digits=1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def _met(value) -> str:
    return {True: "yes", False: "**no**", None: "-"}[value]


def _page_table(lines: list[dict]) -> list[str]:
    rows = [
        "| figure | user | page | median ms | floor ms | ratio | fixed ms | queries "
        "| rows | KiB | goal | met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for line in lines:
        if line.get("error"):
            rows.append(f"| `{line['name']}` | failed: {line['error']} |")
            continue
        rows.append(
            f"| `{line['name']}` | {line.get('user', '-')} | {line.get('page', '-')} "
            f"| {_n(line['median_ms'])} | {_n(line['floor_ms'])} "
            f"| {_n(line['ratio'], 2)} | {_n(line.get('fixed_ms'))} "
            f"| {line['queries']} | {_n(line.get('rows'))} "
            f"| {_n((line['bytes'] or 0) / 1024) if line.get('bytes') else '-'} "
            f"| {line['goal']} | {_met(line.get('met'))} |"
        )
    return rows


def _throughput_table(lines: list[dict]) -> list[str]:
    rows = [
        "| run | users | req/s | p50 ms | p95 ms | requests | errors | vs /healthz/ "
        "| met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for line in lines:
        if "users" not in line:
            rows.append(f"| `{line['name']}` | failed: {line.get('error', '?')} |")
            continue
        rows.append(
            f"| `{line['name']}` | {line['users']} | {_n(line['rps'])} "
            f"| {_n(line['p50_ms'], 0)} | {_n(line['p95_ms'], 0)} "
            f"| {_n(line['requests'])} | {line['errors']} "
            f"| {_n(line.get('vs_healthz'), 2)} | {_met(line.get('met'))} |"
        )
    for line in lines:
        for failure in line.get("failures") or []:
            rows.append(f"\n`{line['name']}` failures: {failure}")
    pages = [
        (line["name"], name, page)
        for line in lines
        if line["name"].startswith("throughput.mix")
        for name, page in sorted(line.get("by_page", {}).items())
    ]
    if pages:
        rows += [
            "",
            "By page of the mix:",
            "",
            "| run | page | req/s | p50 ms | p95 ms | errors |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for run, name, page in pages:
            rows.append(
                f"| `{run}` | {name} | {_n(page['rps'])} | {_n(page['p50_ms'], 0)} "
                f"| {_n(page['p95_ms'], 0)} | {page['failures']} |"
            )
    return rows


GROUPS = (
    ("order list", "Order list"),
    ("order page", "Order page"),
    ("workbench", "Workbench (home page `/`), per role"),
    ("badges", "Navigation badges alone (`accounts.navigation.nav_entries`)"),
)


def _in_declared_order(lines: list[dict]) -> list[dict]:
    from core.bench import discover

    order = {name: i for i, name in enumerate(discover())}
    return sorted(lines, key=lambda x: order.get(x.get("figure"), len(order)))


def _size_section(run: dict) -> list[str]:
    m, data = run["machine"], run["data"]
    lines = _in_declared_order(list(run["lines"].values()))
    out = [f"## {size_label(data['orders'])}: {data['orders']:,} orders", ""]
    out += [
        "- **Data:** " + ", ".join(f"{_n(v)} {k}" for k, v in data.items()),
        f"- **Machine:** {m['cpu']}, {m['cores']} cores, "
        f"{_n(m['memory_mb'])} MB RAM; Python {m['python']}, Django {m['django']}; "
        + (
            f"PostgreSQL {m['postgresql']} (shared_buffers {m['shared_buffers']}, "
            f"work_mem {m['work_mem']}, effective_cache_size "
            f"{m['effective_cache_size']}, as installed)"
            if m.get("postgresql")
            else m["database"]
        ),
        f"- **Settings:** `{m['settings']}`",
        "- **Commands:**",
    ]
    for r in run["runs"]:
        load = r.get("load")
        out.append(
            f"  - `{r['command']}` — {r['date']}, commit {r['commit'] or '-'}, "
            f"{r['figures']} figures"
            + (f", load average {load[0]} → {load[1]}" if load else "")
        )
    out.append("")
    for group, title in GROUPS:
        chosen = [x for x in lines if x.get("group") == group]
        if chosen:
            out += [f"### {title}", "", *_page_table(chosen), ""]
    chosen = [x for x in lines if x.get("group") == "throughput"]
    if chosen:
        out += ["### Throughput (locust headless against gunicorn)", ""]
        out += _throughput_table(chosen) + [""]
    others = [
        x
        for x in lines
        if x.get("group") not in {g for g, _t in GROUPS} | {"throughput"}
    ]
    if others:
        out += ["### Other figures", "", *_page_table(others), ""]
    return out


def _cross_size(runs: list[dict]) -> list[str]:
    if len(runs) < 2:
        return []
    small, large = runs[0], runs[-1]
    labels = [size_label(r["data"]["orders"]) for r in runs]
    out = [
        f"## Workbench and badges: {labels[0]} against {labels[-1]}",
        "",
        f"Goal: the {labels[-1]} median within {CROSS_SIZE_LIMIT}× the "
        f"{labels[0]} median.",
        "",
        "| figure | "
        + " | ".join(f"{label} ms" for label in labels)
        + f" | {labels[-1]} / {labels[0]} | met |",
        "|---|" + "---:|" * len(labels) + "---:|---|",
    ]
    names = [
        name
        for name, line in large["lines"].items()
        if line.get("group") in ("workbench", "badges") and name in small["lines"]
    ]
    for name in names:
        medians = [r["lines"].get(name, {}).get("median_ms") for r in runs]
        first, last = medians[0], medians[-1]
        growth = last / first if first and last is not None else None
        out.append(
            f"| `{name}` | "
            + " | ".join(_n(x) for x in medians)
            + f" | {_n(growth, 1)} | "
            + _met(None if growth is None else growth <= CROSS_SIZE_LIMIT)
            + " |"
        )
    return out + [""]


def _explain_section(runs: list[dict]) -> list[str]:
    for run in reversed(runs):
        lines = [
            x
            for x in _in_declared_order(list(run["lines"].values()))
            if x.get("explain")
        ]
        if lines:
            break
    else:
        return []
    out = [
        f"## EXPLAIN (ANALYZE, BUFFERS) of the order list, "
        f"{size_label(run['data']['orders'])}",
        "",
        "The slowest statements of each order-list figure (as replayed), with "
        "their plans (`manage.py bench --explain`).",
        "",
    ]
    for line in lines:
        out += [f"### `{line['name']}` ({line.get('url', '')})", ""]
        for item in line["explain"]:
            out += [
                f"{item['ms']:.1f} ms:",
                "",
                "```sql",
                item["sql"],
                "```",
                "",
                "```",
                item["plan"],
                "```",
                "",
            ]
    return out


INTRO = """# Benchmarks

Generated by `python manage.py bench --write` from the runs saved in
`docs/benchmarks/*.json`; do not edit by hand. The data comes from
`python manage.py seed_scale --orders N` (ten years of orders with their whole
history, 300 users). See README, "Measuring".

How to read the tables: **median ms** is the median wall time of the request through
Django's test client (or of the call, for the badges), signed in as the user named;
**floor ms** is the page's own data — the statements Django ran for the rows the page
shows and their bounded count, with their parameters — replayed through the
database's own cursor (execute + fetchall), timed in turn with the page in one loop;
**fixed ms** is what every page pays before its data (the session, the user, their
roles and permissions, the calendar), timed the same way and never in the floor;
**ratio** = median / floor. **queries** counts the statements of one
request; **rows** the rows they fetched. The throughput runs use locust (no think
time: N users keep N requests in flight) against gunicorn with 3 workers, on the same
machine as PostgreSQL and locust itself; the server is drained between runs. Each run
records the machine's load average at its start and end: figures measured while
other work ran on the machine are slower and vary more than those of a quiet one.
"""


def write_markdown() -> Path:
    runs = _load()
    out = [INTRO]
    notes = [r["note"] for run in runs for r in run["runs"] if r.get("note")]
    if notes:
        out += [*(f"> {note}" for note in dict.fromkeys(notes)), ""]
    analysis = FOLDER / ANALYSIS
    if analysis.exists():
        out += [analysis.read_text(encoding="utf-8").rstrip(), ""]
    out += _before_after(runs)
    out += _floor_then_and_now(runs)
    for run in runs:
        out += _size_section(run)
    out += _cross_size(runs)
    out += _explain_section(runs)
    MARKDOWN.write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")
    return MARKDOWN


__all__ = ["save_run", "write_markdown"]
