"""The defect types (缺陷类型) a factory of stamped steel parts starts with — the
same list the migration 0002 writes; `ensure()` puts back any missing (a test
database flushed, a demo reseeded). The administrator keeps the list after."""

from __future__ import annotations

DEFECTS = (
    ("dimension", "尺寸超差"),
    ("burr", "毛刺"),
    ("deformation", "变形"),
    ("crack", "裂纹"),
    ("scratch", "表面划伤"),
    ("rust", "锈蚀"),
    ("flatness", "平面度超差"),
    ("hole", "孔位偏移"),
    ("weld", "焊接缺陷"),
    ("coating", "涂层不良"),
    ("missing", "漏工序"),
    ("other", "其他"),
)


def ensure() -> None:
    from .models import DefectType

    DefectType.objects.bulk_create(
        [
            DefectType(code=code, name=name, position=position * 10)
            for position, (code, name) in enumerate(DEFECTS, start=1)
        ],
        ignore_conflicts=True,
    )
