"""The declared walk: one table, one gate, and a document generated from it."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from accounts.roles import ROLES
from orders.models import Order
from orders.stages import WALK, Stage
from orders.workflow import MOVES, STAGE_DEPARTMENTS, workflow_markdown


def test_docs_workflow_md_is_generated_from_the_table():
    from django.utils import translation

    with translation.override("zh-hans"):
        expected = workflow_markdown()
    path = Path(settings.BASE_DIR) / "docs" / "workflow.md"
    assert path.read_text(encoding="utf-8") == expected, (
        "docs/workflow.md is stale: run `python manage.py workflow_table --write`"
    )


def test_every_move_needs_a_declared_permission_that_some_role_holds():
    declared = {f"orders.{code}" for code, _label in Order._meta.permissions}
    held = {perm for role in ROLES for perm in role.permissions}
    for move in MOVES.values():
        wanted = (
            (move.permission,) if isinstance(move.permission, str) else move.permission
        )
        for permission in wanted:
            assert permission in declared, move.code
        assert set(wanted) & held, f"no role may {move.code}"


def test_the_walk_is_reachable_as_far_as_the_installed_apps_take_it():
    """The stages are one declared spine; the moves into the later ones come with
    the apps that own them (quality, delivery, settlement), so the stages reached
    today are the walk's first ones, without a gap, and each answers to a
    department."""
    reachable = {Stage.DRAFT}
    for move in MOVES.values():
        if isinstance(move.target, str):
            reachable.add(move.target)
    reached = [stage for stage in WALK if stage in reachable]
    assert reached == list(WALK[: len(reached)])
    assert Stage.INSPECTION in reached  # production's move leads there
    for stage in WALK[1:-1]:
        assert stage in STAGE_DEPARTMENTS, stage


def test_nothing_but_the_gate_assigns_the_stage():
    """A grep, so that a later view, admin, import or task cannot quietly write it.
    The one exception is the scale seeder (`manage.py seed_scale`), which writes in
    bulk the stages that the gate's walk would have reached (issue 11)."""
    allowed = {Path("orders/workflow.py"), Path("orders/scale.py")}
    offenders = []
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        if path.relative_to(settings.BASE_DIR) in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ".stage = " in line or "update(stage=" in line:
                offenders.append(f"{path}:{number}")
    assert offenders == []


def test_workflow_table_command_prints_the_table(capsys):
    call_command("workflow_table")
    assert "提交评审 (`submit`)" in capsys.readouterr().out
