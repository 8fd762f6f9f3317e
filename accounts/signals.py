"""What accounts tells the apps above it, which it cannot import."""

from django.dispatch import Signal

# Sent by accounts.services.departments_sync once the declared departments exist
# (setup_roles, the demo); `departments` is {code: Department}. Production gives a
# new workshop its first daily capacity.
departments_synced = Signal()
