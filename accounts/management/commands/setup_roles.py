from django.core.management.base import BaseCommand

from accounts.services import roles_sync


class Command(BaseCommand):
    help = "Create or update the role groups and their permissions (idempotent)."

    def handle(self, *args, **options):
        for name, count in roles_sync():
            self.stdout.write(f"{name}: {count} permissions")
