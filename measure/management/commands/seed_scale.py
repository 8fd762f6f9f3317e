"""`manage.py seed_scale --orders N`: realistic data at scale for `manage.py bench`."""

import random
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from core.scale import ScaleContext
from core.seeds import scale_seeders


class Command(BaseCommand):
    help = (
        "Write N orders over ten years with their whole history, 300 users and the "
        "catalogue, in bulk, for measuring (never on a real company's database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=0, help="how many")
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="APP",
            help="run only this app's seeder (repeatable), e.g. --only production "
            "over orders seeded earlier",
        )
        parser.add_argument(
            "--seed", type=int, default=11, help="random seed (same seed, same data)"
        )
        parser.add_argument(
            "--batch", type=int, default=5000, help="orders written per transaction"
        )
        parser.add_argument(
            "--force", action="store_true", help="run even though DEBUG is off"
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="add to a database that already holds orders",
        )

    def handle(self, *args, orders, seed, batch, force, append, only, **options):
        from orders.models import Order

        if not settings.DEMO_DATA and not force:
            raise CommandError(
                "DEMO_DATA is off in these settings: refusing to write scale data. Use "
                "--force if you mean it (a database of its own, never a real "
                "company's)."
            )
        # Each app's part (core.seeds), in the order they declared: `f(ctx)`, a
        # later app reading what the earlier ones left in ctx.shared.
        every = scale_seeders()
        seeders = [s for s in every if not only or s.app in only]
        unknown = set(only) - {s.app for s in every}
        if unknown or not seeders:
            raise CommandError(f"No seeder for {', '.join(sorted(unknown or only))}.")
        if batch < 1 or (orders < 1 and not only):
            raise CommandError("--orders and --batch must be at least 1.")
        call_command("migrate", verbosity=0, interactive=False)
        writes_orders = any(s.writes_orders for s in seeders)
        if Order.objects.exists() and not append and writes_orders:
            raise CommandError(
                "This database already holds orders: refusing to mix scale data into "
                "them. Use a database of its own, or --append if you mean it."
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Bulk loading: no need to wait for each batch to reach the disk.
                cursor.execute("SET synchronous_commit TO off")
        ctx = ScaleContext(
            orders=orders,
            batch=batch,
            rng=random.Random(seed),
            now=timezone.now(),
            append=append,
            out=self.stdout.write,
        )
        started = time.monotonic()
        for seeder in seeders:
            step = time.monotonic()
            self.stdout.write(f"{seeder.path} …")
            seeder(ctx)
            self.stdout.write(f"{seeder.path} done in {time.monotonic() - step:.1f} s")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum would have done over ten years: statistics for the
            # planner and the visibility map for index-only scans. (Not inside a
            # transaction, as in the tests.)
            self.stdout.write("VACUUM (ANALYZE) …")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        total = time.monotonic() - started
        for label, count in sorted(ctx.counts.items()):
            self.stdout.write(f"  {label:<28} {count:>12,}")
        if orders:
            done = (
                f"Seeded {orders:,} orders in {total:.1f} s "
                f"({orders / max(total, 1e-9):,.0f} orders/s)."
            )
        else:
            done = f"Seeded {', '.join(only)} in {total:.1f} s."
        self.stdout.write(self.style.SUCCESS(done))
