"""How an order's facts read on a page, in the reader's language: one function per
phrase, so the order page, the workbench, the quote form and the printed forms say
it the same way. Reads only what it is given (no queries)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from .money import format_cny, plain


def payment_terms_text(order) -> str:
    """预付款 30%；款到发货；月结 60 天；质保金 5% — or "" when none are set."""
    parts = []
    if order.deposit_percent:
        parts.append(_("deposit %(p)s%%") % {"p": plain(order.deposit_percent)})
    if order.pay_before_shipment:
        parts.append(_("payment before shipment"))
    if order.monthly_settlement_days:
        parts.append(
            _("monthly settlement %(d)s days") % {"d": order.monthly_settlement_days}
        )
    if order.retention_percent:
        parts.append(_("retention %(p)s%%") % {"p": plain(order.retention_percent)})
    return "；".join(parts)


def approval_reasons(order, review=None) -> list[str]:
    """Why the general manager must approve this order: important, over the amount,
    or a department that disagreed or lacks resources (escalated by the review)."""
    reasons = []
    if order.gross_amount >= settings.ORDER_GM_APPROVAL_AMOUNT:
        reasons.append(
            _("the amount is at or above %(limit)s")
            % {"limit": format_cny(settings.ORDER_GM_APPROVAL_AMOUNT)}
        )
    if order.is_important:
        reasons.append(_("flagged as an important order"))
    if review is not None:
        objecting = [
            str(row.department)
            for row in review.signoffs.all()
            if row.opinion == "disagree" or row.resources_ok is False
        ]
        if objecting:
            reasons.append(
                _("%(departments)s disagreed or lack resources")
                % {"departments": "、".join(objecting)}
            )
    return reasons
