"""Reads for the drawings (图纸) and their key requirements."""

from __future__ import annotations

from ..models import Drawing, KeyRequirement, Order


def drawings_of(order: Order) -> list[Drawing]:
    """Every version, newest first."""
    return list(
        Drawing.objects.filter(order=order)
        .select_related("uploaded_by", "issued_by", "recalled_by")
        .order_by("-version")
    )


def requirements_of(order: Order) -> tuple[list, list]:
    """(key quality requirements, key process requirements), in order."""
    requirements = list(KeyRequirement.objects.filter(order=order))
    quality = [r for r in requirements if r.kind == KeyRequirement.Kind.QUALITY]
    process = [r for r in requirements if r.kind == KeyRequirement.Kind.PROCESS]
    return quality, process
