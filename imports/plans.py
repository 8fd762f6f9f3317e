"""The preview of an import and what confirming it writes. Reading a file gives a
Plan: each row new, updated, unchanged or invalid (with its row number, column and
what is wrong), and — when nothing is invalid — the writes, done by `apply` in the
caller's one transaction.

Orders are recognised by customer + customer PO number (rows sharing them are one
order's lines), customers by name, products by model. The rules are orders': an
order is checked by `orders.services.order_problems` and written by
`orders.services.orders_import` / `order_update`, as the form's orders are; a
customer or a product by its model's own validation."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.permissions import may
from orders import services as order_services
from orders.models import Customer, Order, Product
from orders.stages import Stage

from .kinds import CUSTOMERS, ORDER_HEADER, ORDERS, PRODUCTS, Kind, Problem
from .kinds import match_headers as _match_headers
from .reading import Sheet

NEW, UPDATED, UNCHANGED, INVALID = "new", "updated", "unchanged", "invalid"


@dataclass
class Plan:
    kind: str
    rows: int = 0
    counts: dict = field(
        default_factory=lambda: {NEW: 0, UPDATED: 0, UNCHANGED: 0, INVALID: 0}
    )
    # orders (or customers, products) new and updated, for the summary
    records: dict = field(default_factory=lambda: {NEW: 0, UPDATED: 0})
    problems: list[Problem] = field(default_factory=list)
    apply: Callable[[], None] | None = None
    progress: Callable[[int], None] | None = None

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def to_write(self) -> bool:
        return self.valid and (self.counts[NEW] + self.counts[UPDATED]) > 0


def plan(kind: Kind, sheet: Sheet, *, actor, source: str, preview=True) -> Plan:
    """The file's rows against the data as it is now. `preview=False` (the confirm,
    about to write): orders' rules are left to the services that write, which
    check every order themselves — asked once, not twice."""
    result = Plan(kind.code, rows=len(sheet.rows))
    found, problems = _match_headers(kind, sheet.headers)
    if problems:
        result.problems = problems
        result.counts[INVALID] = len(sheet.rows)
        return result
    rows = _clean(kind, sheet, found, result)
    {
        ORDERS.code: _plan_orders,
        CUSTOMERS.code: _plan_customers,
        PRODUCTS.code: _plan_products,
    }[kind.code](rows, result, actor=actor, source=source, preview=preview)
    invalid_rows = {p.row for p in result.problems if p.row is not None}
    result.counts[INVALID] = len(invalid_rows)
    result.problems.sort(key=lambda p: p.row or 0)
    return result


@dataclass
class Row:
    number: int
    data: dict
    given: set  # the columns the file has (a value or not)
    bad: bool = False


def _clean(kind: Kind, sheet: Sheet, found: dict[int, str], result: Plan) -> list:
    given = set(found.values())
    rows = []
    for number, cells in sheet.rows:
        row = Row(number, {}, given)
        for index, key in found.items():
            column = kind.column(key)
            value = cells[index] if index < len(cells) else None
            if (number, index) in sheet.formula_gaps:
                row.bad = True
                result.problems.append(
                    Problem(
                        number,
                        str(column.label),
                        _(
                            "This cell is a formula with no stored value; open the "
                            "file in Excel or WPS, save it and upload it again."
                        ),
                    )
                )
                continue
            try:
                parsed = column.parse(value)
            except ValueError as exc:
                row.bad = True
                result.problems.append(Problem(number, str(column.label), str(exc)))
                continue
            if column.required and parsed in (None, ""):
                row.bad = True
                result.problems.append(
                    Problem(
                        number,
                        str(column.label),
                        _("“%(name)s” is required.") % {"name": column.label},
                    )
                )
                continue
            row.data[key] = parsed
        rows.append(row)
    return rows


def _count(result: Plan, status: str, rows: int = 1) -> None:
    result.counts[status] += rows


# --- orders ------------------------------------------------------------------------


def _label(key: str) -> str:
    try:
        return str(ORDERS.column(key).label)
    except StopIteration:
        return ""


# an order's fields as the rules name them → the column that gives them
_FIELD_COLUMN = {
    "pay_before_shipment": "payment",
    "monthly_settlement_days": "payment",
    "retention_percent": "payment",
}

_LINE_PREFIX = re.compile(r"^(?:Line \d+: |第 ?\d+ ?行[：:] ?)")
_LINE_FIELDS = (
    "model_code",
    "spec",
    "quantity",
    "unit",
    "unit_price",
    "price_includes_tax",
    "vat_rate",
)


def _header_of(row: Row, customer: Customer) -> dict:
    """The order's fields this row gives (a column the file lacks is left as it is,
    or as a new order's default)."""
    data = row.data
    header = {"customer": customer, "customer_po": data["customer_po"]}
    header["requested_date"] = data.get("requested_date")
    if "payment" in row.given:
        terms = data.get("payment") or {}
        header["pay_before_shipment"] = terms.get("pay_before_shipment", False)
        header["monthly_settlement_days"] = terms.get("monthly_settlement_days")
    for key in ("special_requirements", "quality_requirements", "notes"):
        if key in row.given:
            header[key] = data.get(key) or ""
    if "channel" in row.given and data.get("channel"):
        header["channel"] = data["channel"]
    if "deposit_percent" in row.given:
        header["deposit_percent"] = data.get("deposit_percent") or Decimal(0)
    if "is_important" in row.given:
        header["is_important"] = bool(data.get("is_important"))
    return header


def _line_of(row: Row, product: Product | None):
    data = row.data
    includes = data.get("price_includes_tax")
    vat = data.get("vat_rate")
    return order_services.LineData(
        model_code=data["model_code"],
        quantity=data["quantity"],
        unit_price=data["unit_price"],
        spec=data.get("spec") or "",
        unit=data.get("unit") or (product.unit if product else "件"),
        price_includes_tax=True if includes is None else includes,
        vat_rate=Decimal("0.13") if vat is None else vat,
        product=product,
    )


def _same(order: Order, header: dict, lines) -> bool:
    for name, value in header.items():
        stored = getattr(order, name)
        if name == "customer":
            continue
        if isinstance(stored, Decimal) and value is not None:
            if stored != Decimal(value):
                return False
        elif stored != value:
            return False
    stored_lines = [
        tuple(getattr(line, name) for name in _LINE_FIELDS)
        for line in order.lines.all()
    ]
    wanted = [
        (
            line.model_code.strip(),
            (line.spec or "").strip(),
            Decimal(line.quantity),
            (line.unit or "件").strip(),
            Decimal(line.unit_price),
            line.price_includes_tax,
            Decimal(line.vat_rate),
        )
        for line in lines
    ]
    return stored_lines == wanted


def _plan_orders(
    rows: list[Row], result: Plan, *, actor, source: str, preview: bool
) -> None:
    names = {r.data["customer"] for r in rows if r.data.get("customer")}
    customers = {c.name: c for c in Customer.objects.filter(name__in=names)}
    codes = {r.data["model_code"] for r in rows if r.data.get("model_code")}
    products = {p.model_code: p for p in Product.objects.filter(model_code__in=codes)}
    groups: dict[tuple, list[Row]] = {}
    for row in rows:
        name = row.data.get("customer")
        if name and name not in customers:
            row.bad = True
            result.problems.append(
                Problem(
                    row.number,
                    _label("customer"),
                    _(
                        "There is no customer named “%(name)s”; import the customers "
                        "first, or add the customer and import again."
                    )
                    % {"name": name},
                )
            )
        if row.bad:
            continue
        key = (customers[name].pk, row.data["customer_po"])
        groups.setdefault(key, []).append(row)
    pos = {po for _customer, po in groups}
    existing = {
        (o.customer_id, o.customer_po): o
        for o in Order.objects.filter(
            customer_id__in={c for c, _po in groups}, customer_po__in=pos
        ).prefetch_related("lines")
    }
    new_orders, updates = [], []
    for key, group in groups.items():
        first = group[0]
        customer = customers[first.data["customer"]]
        header = _header_of(first, customer)
        consistent = True
        for row in group[1:]:
            for name in ORDER_HEADER:
                value = row.data.get(name)
                if (
                    name in row.given
                    and value not in (None, "", {})
                    and value != first.data.get(name)
                ):
                    consistent = False
                    result.problems.append(
                        Problem(
                            row.number,
                            _label(name),
                            _(
                                "This differs from row %(row)s of the same order "
                                "(same customer and PO number)."
                            )
                            % {"row": first.number},
                        )
                    )
        lines = [_line_of(r, products.get(r.data["model_code"])) for r in group]
        if not consistent:
            continue
        order = existing.get(key)
        if order is not None and _same(order, header, lines):
            _count(result, UNCHANGED, len(group))
            continue
        if order is not None:
            if order.stage != Stage.DRAFT:
                for row in group:
                    result.problems.append(
                        Problem(
                            row.number,
                            _label("customer_po"),
                            _(
                                "Order %(number)s (%(stage)s) is past the draft: this "
                                "row would change it; use a change request instead."
                            )
                            % {
                                "number": order.number,
                                "stage": order.get_stage_display(),
                            },
                        )
                    )
                continue
            if not may(actor, "orders.edit_order", order):
                result.problems.append(
                    Problem(
                        first.number,
                        _label("customer_po"),
                        _(
                            "Order %(number)s is another salesperson's draft; only "
                            "they may change it."
                        )
                        % {"number": order.number},
                    )
                )
                continue
        if order is None:
            # a spreadsheet's order came in writing unless it says otherwise
            header.setdefault("channel", Order.Channel.EMAIL)
        if preview and _order_problems(
            result,
            group,
            header,
            lines,
            old_requested=order.requested_date if order else None,
            new=order is None,
        ):
            continue
        if order is None:
            new_orders.append((header, lines))
            _count(result, NEW, len(group))
        else:
            updates.append((order, header, lines))
            _count(result, UPDATED, len(group))
    result.records = {NEW: len(new_orders), UPDATED: len(updates)}

    def apply() -> None:
        order_services.orders_import(actor=actor, orders=new_orders, source=source)
        if result.progress:
            result.progress(len(new_orders))
        for order, header, lines in updates:
            order_services.order_update(
                actor=actor,
                order=order,
                version=order.version,
                lines=lines,
                imported_from=source,
                **header,
            )

    result.apply = apply


def _order_problems(
    result: Plan, group, header, lines, *, old_requested, new: bool
) -> bool:
    """orders' rules on one order; each problem put on its row and column."""
    found = False
    for row, line in zip(group, lines, strict=True):
        for message in order_services.line_problems_of([line]):
            found = True
            text = _LINE_PREFIX.sub("", str(message))
            result.problems.append(Problem(row.number, _line_column(text), text))
    problems = order_services.order_problems(
        header, lines, old_requested=old_requested, new=new
    )
    for name, message in problems.items():
        if name == "lines":
            if found:
                continue
            for text in message:
                result.problems.append(
                    Problem(group[0].number, _label("unit_price"), str(text))
                )
        else:
            result.problems.append(
                Problem(
                    group[0].number,
                    _label(_FIELD_COLUMN.get(name, name)),
                    str(message),
                )
            )
        found = True
    return found


def _line_column(message: str) -> str:
    """Which column a line's problem is about, for the preview's column."""
    for key, words in (
        ("quantity", ("quantity", "数量")),
        ("unit_price", ("price", "单价", "amount", "金额")),
        ("vat_rate", ("VAT", "税率")),
        ("model_code", ("model", "型号")),
    ):
        if any(word in message for word in words):
            return _label(key)
    return ""


# --- customers and products -------------------------------------------------------


@dataclass(frozen=True)
class _Catalogue:
    kind: Kind
    model: type
    key: str
    add: str
    change: str


_CATALOGUES = {
    CUSTOMERS.code: _Catalogue(
        CUSTOMERS,
        Customer,
        "name",
        "imports.import_customers",
        "imports.update_customers",
    ),
    PRODUCTS.code: _Catalogue(
        PRODUCTS,
        Product,
        "model_code",
        "imports.import_products",
        "imports.update_products",
    ),
}


def _plan_customers(rows, result, *, actor, source, preview):
    _plan_catalogue(_CATALOGUES[CUSTOMERS.code], rows, result, actor=actor)


def _plan_products(rows, result, *, actor, source, preview):
    _plan_catalogue(_CATALOGUES[PRODUCTS.code], rows, result, actor=actor)


def _plan_catalogue(catalogue: _Catalogue, rows, result: Plan, *, actor) -> None:
    kind, model, key = catalogue.kind, catalogue.model, catalogue.key
    for row in rows:
        if row.data.get("tax_id"):
            row.data["tax_id"] = row.data["tax_id"].upper()
    keys = {r.data[key] for r in rows if r.data.get(key)}
    stored = {getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": keys})}
    may_change = may(actor, catalogue.change)
    seen: dict[str, int] = {}
    new, changed, fields = [], [], set()
    for row in rows:
        if row.bad:
            continue
        name = row.data[key]
        if name in seen:
            result.problems.append(
                Problem(
                    row.number,
                    str(kind.column(key).label),
                    _("“%(name)s” is already on row %(row)s of this file.")
                    % {"name": name, "row": seen[name]},
                )
            )
            continue
        seen[name] = row.number
        values = {k: v for k, v in row.data.items() if v is not None}
        instance = stored.get(name)
        if instance is not None:
            differ = {k for k, v in values.items() if getattr(instance, k) != v}
            if not differ:
                _count(result, UNCHANGED)
                continue
            if not may_change:
                result.problems.append(
                    Problem(
                        row.number,
                        str(kind.column(sorted(differ)[0]).label),
                        _(
                            "“%(name)s” exists with other details, and your role may "
                            "not change it."
                        )
                        % {"name": name},
                    )
                )
                continue
        else:
            instance = model()
        for k, v in values.items():
            setattr(instance, k, v)
        try:
            instance.full_clean(validate_unique=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                try:
                    label = str(kind.column(field_name).label)
                except StopIteration:
                    label = ""
                result.problems.append(Problem(row.number, label, " ".join(messages)))
            continue
        if instance.pk:
            changed.append(instance)
            fields |= differ
            _count(result, UPDATED)
        else:
            new.append(instance)
            _count(result, NEW)
    result.records = {NEW: len(new), UPDATED: len(changed)}

    def apply() -> None:
        model.objects.bulk_create(new, batch_size=2000)
        if changed:
            model.objects.bulk_update(changed, sorted(fields), batch_size=2000)

    result.apply = apply
