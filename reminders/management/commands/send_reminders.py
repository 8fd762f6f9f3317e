from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reminders import services
from reminders.models import RunLog


class Command(BaseCommand):
    help = (
        "Send the day's reminders now, synchronously (in-app, e-mail and robot "
        "digests), then deliver the outbox. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the day, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--force", action="store_true", help="run on a rest day too"
        )
        parser.add_argument(
            "--no-deliver", action="store_true", help="leave the outbox for the worker"
        )

    def handle(self, *args, **options):
        as_of = None
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError as error:
                raise CommandError(f"--as-of: {error}") from error
        run = services.send_reminders(
            as_of, trigger=RunLog.Trigger.COMMAND, force=options["force"]
        )
        if run.skipped:
            self.stdout.write(f"{run.as_of}: a rest day, nothing sent")
            return
        self.stdout.write(
            f"{run.as_of}: {run.items} open items, {run.reminders} reminders, "
            f"{run.outbox} messages queued"
        )
        if not options["no_deliver"]:
            counts = services.deliver_outbox()
            self.stdout.write(
                f"outbox: {counts['sent']} sent, {counts['failed']} failed"
            )
