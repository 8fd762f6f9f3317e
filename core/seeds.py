"""Each app's part of the demo data (`manage.py seed_demo`) and of the scale data
(`manage.py seed_scale`), registered from the app's AppConfig.ready() — the way the
admin finds `admin.py` — so adding an app edits no list elsewhere. A seeder runs
after those with a lower `position` (users and the calendar first, then orders,
then what each later app adds to them); each is idempotent. Seeders are named by
their dotted path and imported only when they run: a web process never loads
them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Seeder:
    app: str
    path: str  # "production.demo.seed_production"
    position: int
    # A scale seeder that writes orders (the command refuses to mix them into a
    # database that holds some).
    writes_orders: bool = False

    def __call__(self, *args):
        return import_string(self.path)(*args)


_DEMO: dict[str, Seeder] = {}
_SCALE: dict[str, Seeder] = {}


def _register(table: dict, seeder: Seeder, override: bool) -> Seeder:
    if seeder.path in table and table[seeder.path] != seeder and not override:
        raise ValueError(f"Seeder {seeder.path!r} is registered twice")
    table[seeder.path] = seeder
    return seeder


def demo(app: str, path: str, *, position: int, override: bool = False) -> Seeder:
    """`path()` loads the app's part of the demo data."""
    return _register(_DEMO, Seeder(app, path, position), override)


def scale(
    app: str,
    path: str,
    *,
    position: int,
    writes_orders: bool = False,
    override: bool = False,
) -> Seeder:
    """`path(ctx: core.scale.ScaleContext)` writes the app's part of the scale data,
    reading what earlier seeders left in `ctx.shared`."""
    return _register(_SCALE, Seeder(app, path, position, writes_orders), override)


def demo_seeders() -> list[Seeder]:
    return sorted(_DEMO.values(), key=lambda s: (s.position, s.path))


def scale_seeders() -> list[Seeder]:
    return sorted(_SCALE.values(), key=lambda s: (s.position, s.path))


def forget_app(app: str) -> None:
    """The seed parts `app` registered, gone."""
    for table in (_DEMO, _SCALE):
        for key in [k for k, seeder in table.items() if seeder.app == app]:
            del table[key]
