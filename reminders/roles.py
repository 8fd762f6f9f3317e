"""What the reminders grant the company's roles (accounts.roles.grant)."""

APP = "reminders"

GRANTS: dict[str, tuple[str, ...]] = {
    "production_manager": ("reminders.view_escalations",),
    "general_manager": ("reminders.view_escalations",),
    "system_admin": (
        "reminders.run_reminders",
        "reminders.view_runlog",
        "reminders.view_reminder",
        "reminders.view_outbox",
        "reminders.change_outbox",
        "reminders.view_robotchannel",
        "reminders.add_robotchannel",
        "reminders.change_robotchannel",
        "reminders.delete_robotchannel",
    ),
}
