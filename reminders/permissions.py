"""Who may see what the reminders keep (django-rules, asked through
accounts.permissions.may/require): the escalation list is the production manager's
and the general manager's (reminders.roles); running the reminders now is the
system administrator's; a person's own e-mail mute is their own."""

import rules

from accounts.permissions import holds

RULES = {
    "reminders.view_escalations": holds("reminders.view_escalations"),
    "reminders.run_reminders": holds("reminders.run_reminders"),
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
