"""One small function per event type; each writes an OrderEvent. The history page and
the stale-edit message read these rows alone (their reading is orders.history)."""

from __future__ import annotations

from . import registry
from .models import Order, OrderEvent

Type = OrderEvent.Type


def _write(order: Order, type_: str, user, **kwargs) -> OrderEvent:
    parameters = kwargs.pop("parameters", None) or {}
    parameters.setdefault("version", order.version)
    return OrderEvent.objects.create(
        order=order, type=type_, user=user, parameters=parameters, **kwargs
    )


def record(
    *, order, type_: str, user, reason: str = "", automatic=False, parameters=None
) -> OrderEvent:
    """An event of a type an app registered (orders.registry.event_type): how other
    apps write the order's history."""
    if registry.event_type_of(type_) is None:
        raise LookupError(f"Event type {type_!r} is not registered")
    return _write(
        order,
        type_,
        user,
        reason=reason,
        automatic=automatic,
        parameters=dict(parameters or {}),
    )


def order_created(*, order, user, copied_from: Order | None = None) -> OrderEvent:
    if copied_from is not None:
        return _write(
            order, Type.COPIED, user, parameters={"copied_from": copied_from.number}
        )
    return _write(order, Type.CREATED, user)


def orders_imported(*, orders, user, source: str) -> None:
    """The history line of each order an import entered, in one insert."""
    OrderEvent.objects.bulk_create(
        [
            OrderEvent(
                order=order,
                type=Type.CREATED,
                user=user,
                parameters={"version": order.version, "imported_from": source},
            )
            for order in orders
        ],
        batch_size=2000,
    )


def order_edited(
    *, order, user, changes: list[dict], imported_from: str = ""
) -> OrderEvent:
    parameters = {"changes": changes}
    if imported_from:
        parameters["imported_from"] = imported_from
    return _write(order, Type.EDITED, user, parameters=parameters)


def attachment_added(*, order, user, name: str, size: int) -> OrderEvent:
    return _write(
        order, Type.ATTACHMENT_ADDED, user, parameters={"name": name, "size": size}
    )


def order_moved(
    *,
    order,
    user,
    move,
    from_stage,
    to_stage,
    reason,
    automatic,
    on_behalf_of,
    parameters=None,
) -> OrderEvent:
    params = {"move": move.code}
    params.update(parameters or {})
    return _write(
        order,
        Type.MOVED,
        user,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason,
        automatic=automatic,
        on_behalf_of=on_behalf_of,
        parameters=params,
    )


def credit_flagged(*, order, user, exposure, limit) -> OrderEvent:
    return _write(
        order,
        Type.CREDIT_FLAGGED,
        user,
        automatic=True,
        parameters={"exposure": str(exposure), "limit": str(limit)},
    )


def credit_approved(*, order, user, reason: str) -> OrderEvent:
    return _write(order, Type.CREDIT_APPROVED, user, reason=reason)


def change_requested(*, order, user, change_request) -> OrderEvent:
    return _write(
        order,
        Type.CHANGE_REQUESTED,
        user,
        reason=change_request.reason,
        parameters={
            "change_request": change_request.pk,
            "changes": change_request.changes,
        },
    )


def change_approved(*, order, user, change_request, comment: str) -> OrderEvent:
    return _write(
        order,
        Type.CHANGE_APPROVED,
        user,
        reason=comment,
        parameters={
            "change_request": change_request.pk,
            "status": change_request.status,
        },
    )


def change_rejected(*, order, user, change_request, comment: str) -> OrderEvent:
    return _write(
        order,
        Type.CHANGE_REJECTED,
        user,
        reason=comment,
        parameters={"change_request": change_request.pk},
    )


def change_applied(*, order, user, change_request) -> OrderEvent:
    return _write(
        order,
        Type.CHANGE_APPLIED,
        user,
        automatic=True,
        parameters={
            "change_request": change_request.pk,
            "changes": change_request.changes,
        },
    )


def review_opened(*, order, user, review, departments) -> OrderEvent:
    return _write(
        order,
        Type.REVIEW_OPENED,
        user,
        parameters={
            "review": review.number,
            "departments": [d.name for d in departments],
        },
    )


def review_signed(*, order, user, signoff, before=None) -> OrderEvent:
    parameters = {
        "department": signoff.department.name,
        "days": signoff.days_needed,
        "opinion": signoff.opinion,
    }
    if before:
        parameters["amended_from"] = before
    return _write(
        order,
        Type.REVIEW_SIGNED,
        user,
        reason=signoff.risks,
        parameters=parameters,
    )


def review_concluded(*, order, user, review) -> OrderEvent:
    return _write(
        order,
        Type.REVIEW_CONCLUDED,
        user,
        reason=review.note or review.conditions,
        parameters={
            "conclusion": review.conclusion,
            "promised_date": review.promised_date.isoformat()
            if review.promised_date
            else None,
            "needs_gm": review.needs_gm,
        },
    )


def quote_event(
    *, order, user, quote, type_, reason="", on_behalf_of=None, **extra
) -> OrderEvent:
    parameters = {
        "quote": quote.number,
        "version": order.version,
        "quote_version": quote.version,
        "amount": str(quote.gross_amount),
    }
    parameters.update(extra)
    return _write(
        order,
        type_,
        user,
        reason=reason,
        on_behalf_of=on_behalf_of,
        parameters=parameters,
    )


def contract_recorded(*, order, user, contract) -> OrderEvent:
    return _write(
        order,
        Type.CONTRACT_RECORDED,
        user,
        reason=contract.amount_reason,
        parameters={
            "contract": contract.number,
            "amount": str(contract.amount),
            "name": contract.original_name,
        },
    )


def drawing_uploaded(*, order, user, drawing) -> OrderEvent:
    return _write(
        order,
        Type.DRAWING_UPLOADED,
        user,
        parameters={
            "drawing": drawing.title,
            "drawing_version": drawing.version,
            "name": drawing.original_name,
        },
    )


def requirements_written(*, order, user, changes) -> OrderEvent:
    return _write(
        order, Type.REQUIREMENTS_WRITTEN, user, parameters={"changes": changes}
    )


def drawings_reissued(*, order, user, drawing) -> OrderEvent:
    return _write(
        order,
        Type.DRAWINGS_REISSUED,
        user,
        parameters={
            "drawing": drawing.title,
            "drawing_version": drawing.version,
            "name": drawing.original_name,
        },
    )


def drawings_recalled(*, order, user, reason, count) -> OrderEvent:
    return _write(
        order, Type.DRAWINGS_RECALLED, user, reason=reason, parameters={"count": count}
    )


def since(order: Order, version: int) -> list[OrderEvent]:
    """What happened to the order after the given version: for the stale-edit message."""
    return [
        event
        for event in order.events.select_related("user").order_by("created_at", "id")
        if event.parameters.get("version", 0) > version
    ]
