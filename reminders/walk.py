"""What the reminders bring, registered from RemindersConfig.ready(): the
permissions granted to the roles, the escalation list in the menu, and their part of
the demo data. They read the due items every app registers (orders.registry) and
the stage deadlines; no app below imports them."""

from accounts.navigation import register as register_nav
from accounts.roles import grant
from core import seeds

from . import navigation, roles

APP = roles.APP


def register() -> None:
    grant(APP, roles.GRANTS)
    for item in navigation.ITEMS:
        register_nav(item)
    seeds.demo(APP, "reminders.demo.seed_reminders", position=90)
