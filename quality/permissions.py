"""Who may see and act in quality, declared once (django-rules predicates, asked
through accounts.permissions.may / require and `{% may %}`).

Only QC inspectors (质检员) inspect, correct an inspection, open and describe a
nonconformance and release an order after the final inspection. A nonconformance
is signed only by the reviewers named on it. A concession (让步接收) is approved
by the quality manager — the head of the quality department (质量部) — and needs the
customer's consent recorded with its document. The rework slip is made by the
planner (production's own rule); the production manager sees it waiting. Quality's readers:
QC, the production manager and planner, the GM, the chairman and the order's
salesperson (through the order). Asked without an object, a relation holds (the
view's first check)."""

from __future__ import annotations

import rules

from accounts.permissions import holds

QUALITY_DEPARTMENT = "quality"


@rules.predicate
def named_reviewer(user, nonconformance) -> bool:
    """The user is one of the reviewers named on the nonconformance."""
    if nonconformance is None:
        return True
    return any(r.reviewer_id == user.pk for r in nonconformance.reviews.all())


@rules.predicate
def heads_quality(user) -> bool:
    """The user heads the quality department (质量部): the quality manager."""
    return user.headed_departments.filter(code=QUALITY_DEPARTMENT).exists()


inspects = holds("quality.inspect")
reads = holds("quality.view_quality") | inspects

RULES = {
    # The quality pages at all (the workbench, the lists, an inspection).
    "quality.view_quality": reads,
    # Record an inspection, correct one, open and describe a nonconformance.
    "quality.inspect": inspects,
    # obj: a nonconformance. Sign it: a reviewer named on it.
    "quality.sign_nonconformance": holds("quality.sign_nonconformance")
    & named_reviewer,
    # A concession (让步接收) and the customer's consent: the quality manager.
    "quality.approve_concession": holds("quality.approve_concession") & heads_quality,
    # obj: an order. Release it after the final inspection (质检 → 交付).
    "quality.pass_order": inspects & holds("orders.pass_inspection"),
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
