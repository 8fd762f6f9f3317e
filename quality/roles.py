"""Quality's permissions, given to the company's roles (accounts.roles.grant)
from QualityConfig.ready()."""

from __future__ import annotations


def _quality(*codenames: str) -> tuple[str, ...]:
    return tuple(f"quality.{codename}" for codename in codenames)


READ = _quality("view_quality")

GRANTS: dict[str, tuple[str, ...]] = {
    # 质检员: inspect, open nonconformances, release the order; the quality manager
    # (the head of 质量部) approves a concession — the rule asks the relation.
    "qc_inspector": _quality(
        "inspect", "view_quality", "sign_nonconformance", "approve_concession"
    ),
    # The reviewers a nonconformance names: the departments' reviewers and the
    # production manager (who sees the rework waiting; the planner, who holds
    # production's own permission, makes the rework slip).
    "dept_reviewer": _quality("view_quality", "sign_nonconformance"),
    "production_manager": _quality("view_quality", "sign_nonconformance"),
    "production_planner": READ,
    "technical": _quality("view_quality", "sign_nonconformance"),
    "general_manager": READ,
    "chairman": READ,
    "warehouse": READ,
}
