"""Each workshop's daily capacity (车间产能), given a first value when the
workshop is created: `manage.py setup_roles` and the demo build the departments
(accounts.services.departments_sync), which tells the apps through its
`departments_synced` signal — accounts cannot know production exists. The admin
keeps the real figures; a value once set is never overwritten here."""

from __future__ import annotations

from accounts.models import Department

from .models import WorkshopCapacity

# The demo factory's figures, per workshop code (accounts.departments).
DEFAULT_CAPACITY: dict[str, tuple[int, str]] = {
    "cutting": (3000, WorkshopCapacity.Unit.PIECES),
    "line": (2500, WorkshopCapacity.Unit.PIECES),
    "maintenance": (2, WorkshopCapacity.Unit.JOBS),
}


def capacities_sync() -> list[WorkshopCapacity]:
    """Give every declared workshop without a capacity its default one.
    Idempotent; returns the rows it created."""
    workshops = Department.objects.filter(
        kind=Department.Kind.WORKSHOP,
        code__in=list(DEFAULT_CAPACITY),
        capacity__isnull=True,
    )
    return [
        WorkshopCapacity.objects.create(
            department=workshop,
            daily_capacity=DEFAULT_CAPACITY[workshop.code][0],
            unit=DEFAULT_CAPACITY[workshop.code][1],
        )
        for workshop in workshops
    ]


def on_departments_synced(sender, **kwargs) -> None:
    capacities_sync()
