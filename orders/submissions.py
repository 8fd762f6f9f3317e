"""Form tokens are everyone's: core.submissions (kept importable from here for
orders' own modules)."""

from core.submissions import claim_token, new_form_token, record_result

__all__ = ["claim_token", "new_form_token", "record_result"]
