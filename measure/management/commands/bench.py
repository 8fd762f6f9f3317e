"""`manage.py bench`: the figures of issue 11 (and those later apps add), one JSON
line each; `--write` adds the run to docs/benchmarks/ and regenerates
docs/benchmarks.md. Not run in CI: it wants scale data (`manage.py seed_scale`)."""

import json
import os
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import bench
from measure import load as benchload
from measure import report as benchreport
from orders.models import Order

GROUPS = {"order list": 0, "order page": 1, "workbench": 2, "badges": 3}


class Command(BaseCommand):
    help = (
        "Measure the declared figures (page time against its SQL floor, query "
        "counts, throughput) and print one JSON line per figure."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7, help="runs per figure")
        parser.add_argument(
            "--figure",
            action="append",
            default=[],
            metavar="NAME",
            help="a figure, or a prefix such as order_list.gm (repeatable; "
            "default: all)",
        )
        parser.add_argument(
            "--write",
            action="store_true",
            help="save the run under docs/benchmarks/ and rewrite docs/benchmarks.md",
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="EXPLAIN (ANALYZE, BUFFERS) the slowest statements of the order list",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="throughput against this server (same database and SECRET_KEY) "
            "instead of a gunicorn started here",
        )
        parser.add_argument(
            "--seconds", type=int, default=30, help="length of each throughput run"
        )
        parser.add_argument(
            "--users",
            type=int,
            nargs="+",
            default=[20, 50],
            help="concurrent users of the throughput runs",
        )
        parser.add_argument("--note", default="", help="a line saved with the run")
        parser.add_argument("--list", action="store_true", help="list the figures")
        parser.add_argument(
            "--report",
            action="store_true",
            help="only rewrite docs/benchmarks.md from the saved runs",
        )

    def handle(self, *args, **options):
        figures = bench.discover()
        if options["report"]:
            self.stderr.write(f"wrote {benchreport.write_markdown()}")
            return
        if options["list"]:
            for figure in figures.values():
                self.stdout.write(f"{figure.name:<42} {figure.group:<12} {figure.goal}")
            return
        wanted = options["figure"]
        chosen = [
            f
            for f in figures.values()
            if not wanted
            or any(f.name == w or f.name.startswith(w + ".") for w in wanted)
        ]
        # Pages first, the throughput run (minutes, a server) last.
        chosen.sort(key=lambda f: (f.group == "throughput", GROUPS.get(f.group, 9)))
        if not chosen:
            raise CommandError(f"No figure matches {wanted}; see --list.")
        if settings.DEBUG:
            self.stderr.write(
                "DEBUG is on: the times include Django's debug query log. Measure "
                "with DJANGO_SETTINGS_MODULE=config.settings.bench."
            )
        benchload.static_ready(self.stderr.write)
        run = bench.Bench(
            runs=options["runs"],
            explain=options["explain"],
            base_url=options["base_url"],
            seconds=options["seconds"],
            users=tuple(options["users"]),
            out=lambda text: self.stderr.write(text),
            size={"orders": Order.objects.count()},
        )
        started = time.monotonic()
        load_before = os.getloadavg()[0]
        lines = []
        for figure in chosen:
            try:
                results = figure.measure(run)
            except Exception as exc:  # noqa: BLE001 - one figure's failure is a result
                self.stderr.write(f"{figure.name} failed: {exc!r}")
                results = {"error": repr(exc)[:500]}
            for result in results if isinstance(results, list) else [results]:
                line = bench.finish(figure, result, run)
                lines.append(line)
                shown = {k: v for k, v in line.items() if k != "explain"}
                self.stdout.write(json.dumps(shown, ensure_ascii=False))
        bench.judge(lines)
        self.stderr.write(f"{len(lines)} figures in {time.monotonic() - started:.0f} s")
        if options["write"]:
            path = benchreport.save_run(
                lines,
                command=benchreport.command_line(sys.argv[1:]),
                note=options["note"],
                runs=options["runs"],
                load=(load_before, os.getloadavg()[0]),
            )
            markdown = benchreport.write_markdown()
            self.stderr.write(f"wrote {path} and {markdown}")
