"""Who may act in production (rules, asked like orders.permissions)."""

import rules

from accounts.permissions import holds

RULES = {
    # The production planner reports an order's production complete.
    "production.report_complete": holds("orders.complete_production"),
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
