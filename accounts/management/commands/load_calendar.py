from django.core.management.base import BaseCommand, CommandError

from accounts.calendar_library import LIBRARY
from accounts.services import calendar_load_library


class Command(BaseCommand):
    help = (
        f"Load China's public holidays and make-up working days from {LIBRARY} and "
        "record those years as covered. Idempotent; days entered or edited by hand "
        "in the admin are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            nargs="+",
            type=int,
            metavar="YEAR",
            help="Years to load (default: the library's years from three years ago "
            "to the last one it knows).",
        )

    def handle(self, *args, **options):
        try:
            result = calendar_load_library(years=options["years"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        first, *rest = result.summary()
        self.stdout.write(
            self.style.SUCCESS(first) if result.changed_anything else first
        )
        for line in rest:
            self.stdout.write(self.style.WARNING(line))
        if options["verbosity"] >= 2:
            for label, dates in (
                ("added", result.added),
                ("changed", result.changed),
                ("removed", result.removed),
            ):
                for day in dates:
                    self.stdout.write(f"  {label} {day:%Y-%m-%d}")
