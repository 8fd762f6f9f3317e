"""The departments (部门), declared once like the roles: their codes are what the
code depends on (a stage's responsible department, a dispatch slip's workshop), so
they are built by `manage.py setup_roles` on every installation, demo or not. The
names are the company's: an administrator may rename a department, never its code.
A system check (accounts.checks) fails when a declared department is missing."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str  # the Chinese name given on creation; the admin may change it
    kind: str  # "office" or "workshop"


OFFICE, WORKSHOP = "office", "workshop"

DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec("sales", "业务部", OFFICE),
    DepartmentSpec("production", "生产部", OFFICE),
    DepartmentSpec("technical", "技术部", OFFICE),
    DepartmentSpec("purchasing", "采购部", OFFICE),
    DepartmentSpec("quality", "质量部", OFFICE),
    DepartmentSpec("finance", "财务部", OFFICE),
    DepartmentSpec("logistics", "仓储物流部", OFFICE),
    DepartmentSpec("after_sales", "售后服务部", OFFICE),
    DepartmentSpec("gm_office", "总经办", OFFICE),
    DepartmentSpec("cutting", "下料车间", WORKSHOP),
    DepartmentSpec("line", "生产线", WORKSHOP),
    DepartmentSpec("maintenance", "维修车间", WORKSHOP),
)
DEPARTMENT_BY_CODE = {d.code: d for d in DEPARTMENTS}
WORKSHOPS = tuple(d.code for d in DEPARTMENTS if d.kind == WORKSHOP)
