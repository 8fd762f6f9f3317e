from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, USERS
from core.seeds import demo_seeders


class Command(BaseCommand):
    help = "Load demo departments, one user per role and sample data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed although these settings do not allow demo data (DEMO_DATA "
            "off): never on a real company's database.",
        )

    def handle(self, *args, **options):
        # Not DEBUG: `make run` shows the product's own error pages with DEBUG off
        # and still seeds; what keeps demo data off a real database is the setting.
        if not settings.DEMO_DATA and not options["force"]:
            raise CommandError(
                "DEMO_DATA is off in these settings: refusing to load demo data. "
                "Use --force if you mean it."
            )
        call_command("setup_roles", verbosity=0)
        # Each app's part (core.seeds), in the order they declared; each idempotent.
        for seeder in demo_seeders():
            seeder()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, display_name, _dept, roles, _head in USERS:
            self.stdout.write(f"  {username:<14} {display_name:<8} {', '.join(roles)}")
