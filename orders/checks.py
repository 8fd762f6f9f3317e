"""System checks: the walk's declarations agree with the database."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def stage_departments_exist(app_configs, databases=None, **kwargs):
    """Every stage's responsible department (orders.stages.STAGE_SPECS) and every
    declared department (accounts.departments) exists: without one, a stage's
    deadline has nobody to answer for it. Skipped on a database with no departments
    at all (not set up yet: `manage.py setup_roles` builds them)."""
    from accounts.departments import DEPARTMENT_BY_CODE
    from accounts.models import Department

    from .stages import STAGE_SPECS

    errors = []
    wanted = {spec.department for spec in STAGE_SPECS.values() if spec.department}
    for code in sorted(wanted - set(DEPARTMENT_BY_CODE)):
        errors.append(
            Error(
                f"Stage department {code!r} is not declared in accounts.departments.",
                id="orders.E001",
            )
        )
    try:
        present = set(Department.objects.values_list("code", flat=True))
    except DatabaseError:
        return errors  # no tables yet: `migrate` comes first
    if not present:
        return errors
    for code in sorted((wanted | set(DEPARTMENT_BY_CODE)) - present):
        errors.append(
            Error(
                f"Department {code!r} is missing from the database.",
                hint="Run `python manage.py setup_roles`, which builds the declared "
                "departments and roles; rename a department in the admin rather "
                "than delete it.",
                id="orders.E002",
            )
        )
    return errors
