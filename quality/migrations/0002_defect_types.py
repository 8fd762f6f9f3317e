"""The kept list of defect types (缺陷类型) a factory of stamped steel parts starts
with; the administrator keeps it from here (quality.admin)."""

from django.db import migrations

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


def add(apps, schema_editor):
    DefectType = apps.get_model("quality", "DefectType")
    for position, (code, name) in enumerate(DEFECTS, start=1):
        DefectType.objects.get_or_create(
            code=code, defaults={"name": name, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
