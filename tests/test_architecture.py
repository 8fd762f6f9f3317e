"""Imports point one way: the contracts in pyproject.toml ([tool.importlinter]) are
checked with the suite — the apps' stack, the layers inside `orders`, forms and
selectors kept away from writers and pages, and no import cycle anywhere (lazy
imports inside functions count too: grimp reads every import statement)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "config",
    "measure",
    "accounts",
    "core",
    "notifications",
    "orders",
    "production",
    "quality",
    "delivery",
    "reminders",
    "imports",
)
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_tree(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations"),
        )
    return tmp_path


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "10 kept, 0 broken" in result.stdout


def test_a_cycle_hidden_in_a_lazy_import_breaks_the_contract(tmp_path):
    # The cycle the issue found (events ↔ workflow), brought back as a lazy import.
    tree = copy_tree(tmp_path)
    events = tree / "orders" / "events.py"
    events.write_text(
        events.read_text()
        + "\n\ndef _hidden():\n    from . import workflow  # noqa: F401\n"
    )
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "No import cycle" in result.stdout
    assert "orders.events" in result.stdout


def test_a_form_calling_a_service_breaks_the_contract(tmp_path):
    tree = copy_tree(tmp_path)
    forms = tree / "orders" / "forms.py"
    forms.write_text(forms.read_text() + "\nfrom . import services  # noqa: E402\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "orders.forms is not allowed to import orders.services" in result.stdout


def test_orders_never_imports_an_app_built_on_it(tmp_path):
    tree = copy_tree(tmp_path)
    moves = tree / "orders" / "moves.py"
    moves.write_text(moves.read_text() + "\nimport production.walk  # noqa: E402\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "orders.moves" in result.stdout


def test_production_never_imports_the_reminders(tmp_path):
    """The reminders read every walk app's due items; no app below imports them."""
    tree = copy_tree(tmp_path)
    walk = tree / "production" / "walk.py"
    walk.write_text(walk.read_text() + "\nimport reminders.scan  # noqa: E402\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "no app below imports them" in result.stdout


def test_production_never_imports_quality(tmp_path):
    """quality plugs into the walk and holds production's reports through the
    registries; production (and orders) never name it."""
    tree = copy_tree(tmp_path)
    reports = tree / "production" / "services" / "reports.py"
    reports.write_text(
        reports.read_text()
        + "\n\ndef _hidden():\n    from quality.selectors import line_figures  # noqa\n"
    )
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "Orders and production never import quality" in result.stdout
    assert "BROKEN" in result.stdout


def test_quality_never_imports_delivery(tmp_path):
    """delivery reads quality's figures through the registries; quality (and the
    apps below it) never name delivery."""
    tree = copy_tree(tmp_path)
    walk = tree / "quality" / "walk.py"
    walk.write_text(
        walk.read_text()
        + "\n\ndef _hidden():\n    from delivery.quantities import line_figures  # noqa\n"
    )
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "Delivery is above the walk's earlier apps" in result.stdout
    assert "BROKEN" in result.stdout


def test_core_importing_an_app_breaks_the_contract(tmp_path):
    """core is what every app uses; it imports none of them (the measuring tools,
    which read every app, sit in `measure`, above them all)."""
    tree = copy_tree(tmp_path)
    pagination = tree / "core" / "pagination.py"
    pagination.write_text(
        pagination.read_text()
        + "\n\ndef _hidden():\n    from orders.models import Order  # noqa: F401\n"
    )
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "core imports nothing of ours BROKEN" in result.stdout


def test_an_app_importing_the_measuring_tools_breaks_the_contract(tmp_path):
    tree = copy_tree(tmp_path)
    walk = tree / "production" / "walk.py"
    walk.write_text(walk.read_text() + "\nimport measure.report  # noqa: E402\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "production.walk" in result.stdout


def test_an_app_reaching_into_orders_internals_breaks_the_contract(tmp_path):
    """Another app uses orders' services, registry, stages, models and selectors —
    never its workflow, views, events or demo helpers."""
    tree = copy_tree(tmp_path)
    walk = tree / "production" / "walk.py"
    walk.write_text(walk.read_text() + "\nimport orders.workflow  # noqa: E402\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "orders' public surface" in result.stdout
    assert "production.walk -> orders.workflow" in result.stdout
