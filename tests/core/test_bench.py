"""`manage.py bench` on a little scale data: one JSON line per figure with the keys
docs/benchmarks.md is built from, and the document itself. (The throughput run needs
a server and minutes: it is not run here.)"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from measure import report as benchreport

KEYS = {"name", "median_ms", "floor_ms", "ratio", "queries", "bytes", "runs", "orders"}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", orders=60, force=True, stdout=StringIO())
        yield
        transaction.set_rollback(True)


def bench(*figures, **options) -> list[dict]:
    out = StringIO()
    call_command(
        "bench",
        "--runs",
        "1",
        *[f"--figure={f}" for f in figures],
        stdout=out,
        stderr=StringIO(),
        **options,
    )
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_page_figure_prints_its_time_floor_and_queries(seeded, db):
    (line,) = bench("order_list.gm.all.p1")
    assert line.keys() >= KEYS
    assert line["name"] == "order_list.gm.all.p1"
    assert line["runs"] == 1
    assert line["orders"] == 61
    assert line["median_ms"] > 0 and line["floor_ms"] > 0
    assert line["ratio"] == round(line["median_ms"] / line["floor_ms"], 2)
    assert line["queries"] >= 5 and line["rows"] > 0 and line["bytes"] > 1000
    assert line["writes"] == 0
    assert line["user"] == "general_manager001"
    # the floor is the page's own data: the session, the user, their roles and
    # permissions and the calendar are its fixed cost, timed beside it
    assert line["fixed_queries"] >= 5 and line["fixed_ms"] > 0
    assert line["floor_queries"] + line["fixed_queries"] == line["queries"]
    assert 0 < line["floor_queries"] <= 4


def test_a_role_signs_in_as_the_same_person_at_every_size(seeded, db):
    """A figure at 1k and at 1M compares one user's page with itself: the role's
    holder is chosen by name, never by how much data they have."""
    (line,) = bench("order_list.sales.all.p1")
    assert line["user"] == "sales001"
    (line,) = bench("workbench.sales")
    assert line["user"] == "sales001"


def test_the_order_page_workbench_and_badges(seeded, db):
    lines = {
        x["name"]: x
        for x in bench("order_page", "workbench.production_manager", "badges.sales")
    }
    assert set(lines) == {
        "order_page.busy.gm",
        "workbench.production_manager",
        "badges.sales",
    }
    for line in lines.values():
        assert line.keys() >= KEYS
        assert line["queries"] > 0
    # the busy order (200 lines, 500 events): the page reads the first 50 lines and
    # the latest 50 events (+1 each), its quote and the rest
    assert 100 < lines["order_page.busy.gm"]["rows"] < 700
    # the badges are their own htmx answer now, a page of a few spans
    assert 0 < lines["badges.sales"]["bytes"] < 2000


def test_a_prefix_names_a_family_and_an_unknown_name_is_refused(seeded, db):
    names = [x["name"] for x in bench("order_list.sales.stage")]
    assert names == ["order_list.sales.stage.p1", "order_list.sales.stage.deep"]
    with pytest.raises(CommandError, match="No figure"):
        bench("no_such_figure")


def test_write_saves_the_run_and_regenerates_the_document(
    seeded, db, tmp_path, monkeypatch
):
    monkeypatch.setattr(benchreport, "FOLDER", tmp_path / "benchmarks")
    monkeypatch.setattr(benchreport, "MARKDOWN", tmp_path / "benchmarks.md")
    bench("order_list.gm.all", "workbench.sales", write=True, note="baseline")
    saved = json.loads((tmp_path / "benchmarks" / "1k.json").read_text())
    assert set(saved["lines"]) == {
        "order_list.gm.all.p1",
        "order_list.gm.all.deep",
        "workbench.sales",
    }
    assert saved["data"]["orders"] == 61
    text = (tmp_path / "benchmarks.md").read_text()
    assert "> baseline" in text
    assert "| `order_list.gm.all.p1` | general_manager001 | 1 |" in text
    assert "### Workbench" in text
    # a baseline kept under benchmarks/baseline/ is compared figure by figure
    baseline = tmp_path / "benchmarks" / "baseline"
    baseline.mkdir()
    (baseline / "1k.json").write_text((tmp_path / "benchmarks" / "1k.json").read_text())
    bench("workbench.sales", write=True, note="after")
    text = (tmp_path / "benchmarks.md").read_text()
    assert "## Before and after, 1k" in text
    assert "| `workbench.sales` |" in text.split("## Before and after, 1k")[1]
    # runs judged by the first method (every statement replayed as the floor) are
    # kept apart and shown beside this run's floor and fixed cost, never mixed in
    first = tmp_path / "benchmarks" / "replayed-floor"
    first.mkdir()
    (first / "1k.json").write_text((baseline / "1k.json").read_text())
    benchreport.write_markdown()
    text = (tmp_path / "benchmarks.md").read_text()
    then_now = text.split("## The floor, then and now, 1k")[1]
    assert "| now fixed |" in then_now
    assert "| `workbench.sales` |" in then_now
    assert (
        saved["data"]["orders"]
        == json.loads((tmp_path / "benchmarks" / "1k.json").read_text())["data"][
            "orders"
        ]
    )


def test_the_shop_floor_figures(seeded, db):
    lines = {x["name"]: x for x in bench("slips", "slip_report", "plans")}
    assert set(lines) == {
        "slips.lead.p1",
        "slips.lead.finished.deep",
        "slip_report.screen",
        "slip_report.post",
        "plans.planner.p1",
    }
    for line in lines.values():
        assert line.keys() >= KEYS
        assert "error" not in line, line.get("error")
        assert line["queries"] > 0 and line["bytes"] > 0
    # the lead reads the own workshop's slips; the report screen is a phone's page
    assert lines["slips.lead.p1"]["user"].startswith("workshop_lead")
    assert lines["slip_report.screen"]["bytes"] < 60_000
    # a report posted through htmx is answered with the slip card alone
    assert lines["slip_report.post"]["writes"] > 0
    assert lines["slip_report.post"]["bytes"] < lines["slip_report.screen"]["bytes"]
