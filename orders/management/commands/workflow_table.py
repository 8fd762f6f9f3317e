from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from orders.workflow import workflow_markdown


class Command(BaseCommand):
    help = "Print (or --write) docs/workflow.md, generated from orders.workflow."

    def add_arguments(self, parser):
        parser.add_argument(
            "--write",
            action="store_true",
            help="Write docs/workflow.md instead of printing it.",
        )

    def handle(self, *args, **options):
        with translation.override("zh-hans"):
            text = workflow_markdown()
        if options["write"]:
            path = Path(settings.BASE_DIR) / "docs" / "workflow.md"
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {path}")
        else:
            self.stdout.write(text, ending="")
