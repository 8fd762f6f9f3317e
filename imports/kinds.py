"""What each import takes: its columns (the header in Chinese, in English, and the
other names offices give it), which are required, and how each cell is read. The
template a user downloads is these columns with an example row."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override, pgettext_lazy

from orders.models import Customer, Order, OrderLine, Product

from . import cells


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    # the header in Chinese (the template's, whatever the reader's language)
    zh: str
    parse: Callable
    required: bool = False
    # other headers offices use for it (the label in both languages is always taken)
    names: tuple[str, ...] = ()
    example: Callable | object = ""

    def headers(self) -> set[str]:
        found = {normal(n) for n in (self.key, self.zh, *self.names)}
        for language in ("zh-hans", "en"):
            with override(language):
                found.add(normal(str(self.label)))
        return found


@dataclass(frozen=True)
class Kind:
    code: str
    label: object
    # the rule asked before anything is read (accounts.permissions.may)
    permission: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def normal(header: str) -> str:
    """客户订单号*, ' Customer PO ' and 'customer_po' read alike."""
    return re.sub(r"[\s*_＊:：()（）]", "", str(header or "")).lower()


def _max(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


def _in_a_month():
    return timezone.localdate() + timedelta(days=30)


ORDERS = Kind(
    "orders",
    gettext_lazy("orders with their lines"),
    "imports.import_orders",
    (
        Column(
            "customer",
            pgettext_lazy("import column", "customer"),
            "客户",
            cells.text(_max(Customer, "name")),
            True,
            ("客户名称", "customer name"),
            "华东制动器有限公司",
        ),
        Column(
            "customer_po",
            pgettext_lazy("import column", "customer PO number"),
            "客户订单号",
            cells.text(_max(Order, "customer_po")),
            True,
            ("po", "po号", "ponumber", "采购订单号", "customer po"),
            "PO-2026-001",
        ),
        Column(
            "model_code",
            pgettext_lazy("import column", "model"),
            "型号",
            cells.text(_max(OrderLine, "model_code")),
            True,
            ("产品型号", "model code"),
            "GB-D1092",
        ),
        Column(
            "spec",
            pgettext_lazy("import column", "specification"),
            "规格",
            cells.text(_max(OrderLine, "spec")),
            names=("spec",),
            example="6.0mm 磷化",
        ),
        Column(
            "quantity",
            pgettext_lazy("import column", "quantity"),
            "数量",
            cells.decimal,
            True,
            ("qty",),
            500,
        ),
        Column(
            "unit",
            pgettext_lazy("import column", "unit"),
            "单位",
            cells.text(_max(OrderLine, "unit")),
            example="片",
        ),
        Column(
            "unit_price",
            pgettext_lazy("import column", "unit price"),
            "单价",
            cells.money,
            True,
            ("含税单价", "price"),
            Decimal("3.20"),
        ),
        Column(
            "requested_date",
            pgettext_lazy("import column", "delivery date"),
            "交货日期",
            cells.day,
            True,
            ("交期", "要求交货日期", "requested date", "requested delivery date"),
            _in_a_month,
        ),
        Column(
            "payment",
            pgettext_lazy("import column", "payment terms"),
            "付款方式",
            cells.payment,
            names=("付款条件", "payment"),
            example="月结30天",
        ),
        Column(
            "special_requirements",
            pgettext_lazy("import column", "special requirements"),
            "特殊要求",
            cells.text(),
            example="",
        ),
        Column(
            "quality_requirements",
            pgettext_lazy("import column", "quality requirements"),
            "质量要求",
            cells.text(),
        ),
        Column(
            "channel",
            pgettext_lazy("import column", "channel"),
            "渠道",
            cells.choice(Order._meta.get_field("channel")),
            names=("来源",),
        ),
        Column(
            "price_includes_tax",
            pgettext_lazy("import column", "price includes tax"),
            "含税",
            cells.yes_no,
            names=("是否含税",),
        ),
        Column(
            "vat_rate",
            pgettext_lazy("import column", "VAT rate"),
            "税率",
            cells.percent,
            names=("vat",),
        ),
        Column(
            "deposit_percent",
            pgettext_lazy("import column", "deposit %"),
            "定金%",
            cells.percent_points,
            names=("定金比例", "预付比例", "deposit"),
        ),
        Column(
            "is_important",
            pgettext_lazy("import column", "important order"),
            "重要订单",
            cells.yes_no,
        ),
        Column("notes", pgettext_lazy("import column", "notes"), "备注", cells.text()),
    ),
)

# The columns that belong to the order, not to a line: every row of one order
# must agree on them.
ORDER_HEADER = (
    "requested_date",
    "payment",
    "special_requirements",
    "quality_requirements",
    "channel",
    "deposit_percent",
    "is_important",
    "notes",
)

CUSTOMERS = Kind(
    "customers",
    gettext_lazy("customers"),
    "imports.import_customers",
    (
        Column(
            "name",
            pgettext_lazy("import column", "customer name"),
            "客户名称",
            cells.text(_max(Customer, "name")),
            True,
            ("客户", "customer", "名称"),
            "华东制动器有限公司",
        ),
        Column(
            "contact",
            pgettext_lazy("import column", "contact person"),
            "联系人",
            cells.text(_max(Customer, "contact")),
            names=("联系人",),
            example="王经理",
        ),
        Column(
            "phone",
            pgettext_lazy("import column", "phone"),
            "电话",
            cells.text(_max(Customer, "phone")),
            names=("联系电话", "电话", "tel"),
            example="+86 21 5555 0101",
        ),
        Column(
            "address",
            pgettext_lazy("import column", "address"),
            "地址",
            cells.text(_max(Customer, "address")),
        ),
        Column(
            "type",
            pgettext_lazy("import column", "customer type"),
            "客户类型",
            cells.choice(Customer._meta.get_field("type")),
        ),
        Column(
            "tax_id",
            pgettext_lazy("import column", "taxpayer ID"),
            "纳税人识别号",
            cells.text(_max(Customer, "tax_id")),
            names=("税号", "统一社会信用代码"),
        ),
        Column(
            "bank_account",
            pgettext_lazy("import column", "bank and account"),
            "开户行及账号",
            cells.text(_max(Customer, "bank_account")),
            names=("开户行及账号",),
        ),
        Column(
            "invoice_address_phone",
            pgettext_lazy("import column", "invoice address and phone"),
            "开票地址电话",
            cells.text(_max(Customer, "invoice_address_phone")),
            names=("开票地址电话",),
        ),
        Column(
            "credit_limit",
            pgettext_lazy("import column", "credit limit"),
            "信用额度",
            cells.money,
        ),
    ),
)

PRODUCTS = Kind(
    "products",
    gettext_lazy("product catalogue"),
    "imports.import_products",
    (
        Column(
            "model_code",
            pgettext_lazy("import column", "model"),
            "型号",
            cells.text(_max(Product, "model_code")),
            True,
            ("产品型号", "model code"),
            "GB-D1092",
        ),
        Column(
            "name",
            pgettext_lazy("import column", "product name"),
            "产品名称",
            cells.text(_max(Product, "name")),
            True,
            ("品名", "名称", "name"),
            "盘式刹车片钢背",
        ),
        Column(
            "kind",
            pgettext_lazy("import column", "product type"),
            "产品类型",
            cells.choice(Product._meta.get_field("kind")),
        ),
        Column(
            "spec",
            pgettext_lazy("import column", "specification"),
            "规格",
            cells.text(_max(Product, "spec")),
        ),
        Column(
            "unit",
            pgettext_lazy("import column", "unit"),
            "单位",
            cells.text(_max(Product, "unit")),
            example="片",
        ),
        Column(
            "unit_price",
            pgettext_lazy("import column", "list price"),
            "目录价",
            cells.money,
            names=("单价", "目录价", "price"),
            example=Decimal("3.20"),
        ),
        Column(
            "material_thickness",
            pgettext_lazy("import column", "material thickness (mm)"),
            "料厚(mm)",
            cells.decimal,
            names=("料厚", "厚度"),
        ),
        Column(
            "is_active",
            pgettext_lazy("import column", "active"),
            "启用",
            cells.yes_no,
            names=("启用",),
        ),
    ),
)

KINDS = {kind.code: kind for kind in (ORDERS, CUSTOMERS, PRODUCTS)}


@dataclass
class Problem:
    row: int | None  # None: the file as a whole
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def match_headers(kind: Kind, headers: list[str]) -> tuple[dict[int, str], list]:
    """{column index: column key} and the problems with the headers: a required
    column missing, a header the import does not know (a misspelling, with the
    nearest name), a column given twice."""
    known = {}
    for column in kind.columns:
        for name in column.headers():
            known[name] = column.key
    found: dict[int, str] = {}
    problems = []
    for index, header in enumerate(headers):
        if not normal(header):
            continue
        key = known.get(normal(header))
        if key is None:
            near = difflib.get_close_matches(
                normal(header), [normal(str(c.label)) for c in kind.columns], n=1
            )
            hint = (
                _(" Did you mean “%(name)s”?") % {"name": _label(kind, near[0])}
                if near
                else ""
            )
            problems.append(
                Problem(
                    None,
                    header,
                    _("The column “%(header)s” is not one this import knows.")
                    % {"header": header}
                    + hint,
                )
            )
        elif key in found.values():
            problems.append(
                Problem(
                    None,
                    header,
                    _("The column “%(header)s” is given twice.") % {"header": header},
                )
            )
        else:
            found[index] = key
    for column in kind.columns:
        if column.required and column.key not in found.values():
            problems.append(
                Problem(
                    None,
                    str(column.label),
                    _("The required column “%(name)s” is missing.")
                    % {"name": column.label},
                )
            )
    return found, problems


def _label(kind: Kind, normalised: str) -> str:
    for column in kind.columns:
        if normal(str(column.label)) == normalised:
            return str(column.label)
    return normalised
