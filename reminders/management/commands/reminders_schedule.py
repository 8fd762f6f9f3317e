from django.core.management.base import BaseCommand

from reminders.schedule import DAILY, ensure_schedule


class Command(BaseCommand):
    help = "Write the reminders' beat schedule (idempotent; after changing REMINDERS_TIME)."

    def handle(self, *args, **options):
        ensure_schedule()
        self.stdout.write(f"{DAILY}: scheduled")
