from django.core.management.base import BaseCommand

from accounts.services import departments_sync, roles_sync


class Command(BaseCommand):
    help = (
        "Create or update the declared departments and the role groups with their "
        "permissions (idempotent)."
    )

    def handle(self, *args, **options):
        for code, department in departments_sync().items():
            self.stdout.write(f"{department.name} ({code})")
        for name, count in roles_sync():
            self.stdout.write(f"{name}: {count} permissions")
