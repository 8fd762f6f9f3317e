"""Scale data for the orders (issue 11): customers, a catalogue, and N orders spread
over ten years, each with the records its walk would have left — lines, events with
the parameters the services write, stage deadlines, the review sheet and its rows,
the quote with its lines, the contract, the drawings and key requirements — at the
stage it has reached today.

This is the one module besides `orders.workflow` that writes an order's stage: the
services would take days for a million orders, so the walk is replayed here in
memory, step by step with its timestamps, and written in bulk (`core.scale`). Each
order's walk follows the services: who acts, which event, which version, which
deadline. Old orders are mostly completed, cancelled or declined; recent ones are
wherever their walk has got to by now, which spreads them over the open stages the
way a factory's orders are spread. `tests/core/test_scale.py` checks the result
against the rules the services keep.

One busy order (`BUSY_PO`: 200 lines, 500 events) is added for the order page
figure of `manage.py bench`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from accounts.workdays import get_calendar
from core.scale import BUSY_PO, BulkWriter, ScaleContext

from .models import (
    ChangeRequest,
    Contract,
    ContractReview,
    Customer,
    Drawing,
    KeyRequirement,
    NumberSequence,
    Order,
    OrderAttachment,
    OrderEvent,
    OrderLine,
    Product,
    Quote,
    QuoteLine,
    ReviewSignoff,
    StageDeadline,
)
from .money import cny, line_amounts
from .services.review import DAYS_FROM, needs_gm, suggests_conditions
from .stages import IN_PROGRESS, Stage
from .validators import uscc_check_char
from .workflow import STAGE_DEPARTMENTS

BUSY_LINES = 200
BUSY_EVENTS = 500
YEARS = 10
DAY = 86400.0
VAT = Decimal("0.13")
T = OrderEvent.Type
HOLDABLE = IN_PROGRESS - {Stage.ON_HOLD}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


CITIES = _words(
    "浙江 江苏 山东 广东 河北 河南 湖北 湖南 四川 重庆 福建 安徽 江西 辽宁 吉林 天津 上海 "
    "北京 山西 陕西 广西 云南 贵州 温州 宁波 台州 苏州 无锡 常州 佛山 东莞 青岛 烟台 潍坊 "
    "临沂 济南 郑州 洛阳 襄阳 十堰"
)
BRANDS = _words(
    "万达 鲁威 信达 冀丰 长江 华盛 恒通 金马 宏远 永安 精诚 泰和 瑞丰 博远 启明 东方 "
    "新力 中联 天成 嘉禾 正泰 亚太 顺达 科信 利民 龙腾 星辉 海川 三和 福田"
)
TRADES = _words(
    "汽车制动系统 刹车片 摩擦材料 机械配件 模具 汽配 制动器 精密冲压 重工 机电"
)
CONTACTS = ("经理", "科长", "工", "总", "老板", "主任")
CANCEL_REASONS = (
    ("客户项目取消", "未投料；已通知采购停止备料"),
    ("客户改从他处采购", "已备钢材转用于其他订单"),
    ("客户资金困难，暂停采购", "已收定金抵扣已发生费用"),
    ("交期无法满足，双方协商取消", "已通知车间停止排产"),
)
RISKS = ("钢材价格波动，锁价采购", "交期紧，需加班", "新模具试模存在风险，提前试制")
PAYMENT_TERMS = ("预付30%，余款月结60天", "款到发货", "月结90天", "预付50%，发货前付清")


@dataclass
class _Product:
    id: int
    code: str
    kind: str
    spec: str
    unit: str
    price: Decimal


@dataclass
class _Customer:
    id: int
    name: str
    type: str
    limit: Decimal | None
    salesperson: int


@dataclass
class _People:
    """User ids by what they do in the walk."""

    sales: list[int]
    sales_department: dict[int, int]
    quoters: list[int]
    managers: list[int]
    gm: int
    technical: list[int]
    planners: list[int]
    qc: list[int]
    warehouse: list[int]
    finance: list[int]
    reviewers: dict[str, list[int]]  # department code → reviewers
    departments: dict[str, tuple[int, str]]  # code → (id, name)


# --- time -----------------------------------------------------------------------------

_TZ = None


def _zone():
    global _TZ
    if _TZ is None:
        _TZ = ZoneInfo(settings.TIME_ZONE)
    return _TZ


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _local_date(ts: float) -> date:
    return datetime.fromtimestamp(ts, _zone()).date()


def _at(d: date, hour: float) -> float:
    """A local day and hour as a timestamp."""
    return datetime(d.year, d.month, d.day, tzinfo=_zone()).timestamp() + hour * 3600


# --- the seeder -------------------------------------------------------------------------


class _Stop(Exception):
    """The walk has reached today: what is left has not happened yet."""


@dataclass
class _Walk:
    """One order's walk, replayed: the order's fields as they end up, and every
    record the services would have written on the way."""

    order_id: int
    number: str
    customer: _Customer
    salesperson: int
    created: float
    lines: list[tuple]
    net: Decimal
    tax: Decimal
    gross: Decimal
    important: bool
    kinds: set
    stage: str = Stage.DRAFT
    version: int = 1
    clock: float = 0.0
    credit: str = Order.Credit.WITHIN
    held_stage: str = ""
    stage_entered_at: float | None = None
    submitted_at: float | None = None
    promised_date: date | None = None
    cancel_reason: str = ""
    loss_measures: str = ""
    last: float = 0.0  # when the walk last wrote something
    events: list[tuple] = field(default_factory=list)
    deadlines: dict = field(default_factory=dict)  # stage → [dept, due, start, end]
    review: list | None = None
    signoffs: dict | None = None
    quote: list | None = None
    contract: tuple | None = None
    drawing: list | None = None
    requirements: list | None = None
    change: tuple | None = None


class OrderSeeder:
    def __init__(self, ctx: ScaleContext, writer: BulkWriter):
        self.ctx = ctx
        self.rng = ctx.rng
        self.writer = writer
        self.now = ctx.now.timestamp()
        self.calendar = get_calendar()
        self.add_wd = lru_cache(maxsize=None)(self.calendar.add_working_days)
        self.sequences = dict(NumberSequence.objects.values_list("key", "last"))
        self.contract_seq = 0
        self.gm_threshold = Decimal(settings.ORDER_GM_APPROVAL_AMOUNT)
        self._declare()

    # -- tables, in the order they are written (foreign keys first) --

    def _declare(self):
        w = self.writer
        w.declare(
            Order,
            (
                "id",
                "number",
                "customer_id",
                "salesperson_id",
                "sales_department_id",
                "channel",
                "customer_po",
                "order_date",
                "requested_date",
                "promised_date",
                "deposit_percent",
                "pay_before_shipment",
                "monthly_settlement_days",
                "retention_percent",
                "quality_requirements",
                "special_requirements",
                "is_important",
                "notes",
                "stage",
                "held_stage",
                "stage_entered_at",
                "due_date",
                "returned_reason",
                "credit",
                "net_amount",
                "tax_amount",
                "gross_amount",
                "cancel_reason",
                "loss_measures",
                "version",
                "created_by_id",
                "created_at",
                "submitted_at",
                "updated_at",
            ),
        )
        w.declare(
            OrderLine,
            (
                "order_id",
                "position",
                "product_id",
                "model_code",
                "spec",
                "quantity",
                "unit",
                "unit_price",
                "price_includes_tax",
                "vat_rate",
                "net_amount",
                "tax_amount",
                "gross_amount",
            ),
        )
        w.declare(
            ContractReview,
            (
                "id",
                "order_id",
                "number",
                "opened_by_id",
                "opened_at",
                "conclusion",
                "raise_price",
                "extend_lead_time",
                "conditions",
                "note",
                "promised_date",
                "concluded_by_id",
                "concluded_at",
                "needs_gm",
                "gm_decision",
                "gm_by_id",
                "gm_at",
                "gm_comment",
            ),
        )
        w.declare(
            ReviewSignoff,
            (
                "review_id",
                "department_id",
                "position",
                "content",
                "days_needed",
                "resources_ok",
                "risks",
                "opinion",
                "signed_by_id",
                "signed_at",
            ),
        )
        w.declare(
            Quote,
            (
                "id",
                "order_id",
                "number",
                "version",
                "status",
                "prices_include_tax",
                "vat_rate",
                "discount_percent",
                "lead_time_days",
                "payment_terms",
                "valid_until",
                "note",
                "net_amount",
                "tax_amount",
                "gross_amount",
                "prepared_by_id",
                "prepared_at",
                "submitted_at",
                "approved_by_id",
                "approved_at",
                "decision_comment",
                "accepted_on",
                "accepted_how",
                "accepted_by_id",
            ),
        )
        w.declare(
            QuoteLine,
            (
                "quote_id",
                "position",
                "model_code",
                "spec",
                "quantity",
                "unit",
                "unit_price",
                "net_amount",
                "tax_amount",
                "gross_amount",
            ),
        )
        w.declare(
            Contract,
            (
                "order_id",
                "number",
                "signed_on",
                "amount",
                "amount_reason",
                "file",
                "original_name",
                "content_type",
                "size",
                "recorded_by_id",
                "recorded_at",
            ),
        )
        w.declare(
            Drawing,
            (
                "order_id",
                "version",
                "title",
                "file",
                "original_name",
                "content_type",
                "size",
                "note",
                "uploaded_by_id",
                "uploaded_at",
                "issued_at",
                "issued_by_id",
                "recalled_at",
                "recalled_by_id",
                "recall_reason",
            ),
        )
        w.declare(
            KeyRequirement,
            ("order_id", "kind", "position", "text", "created_by_id", "created_at"),
        )
        w.declare(
            ChangeRequest,
            (
                "id",
                "order_id",
                "status",
                "reason",
                "proposed",
                "changes",
                "amount_before",
                "amount_after",
                "needs_gm",
                "requested_by_id",
                "requested_at",
                "decided_comment",
                "manager_approved_by_id",
                "manager_approved_at",
            ),
        )
        w.declare(
            OrderAttachment,
            (
                "order_id",
                "file",
                "original_name",
                "content_type",
                "size",
                "uploaded_by_id",
                "uploaded_at",
            ),
        )
        w.declare(
            StageDeadline,
            (
                "order_id",
                "stage",
                "department_id",
                "due_date",
                "started_at",
                "completed_at",
            ),
        )
        w.declare(
            OrderEvent,
            (
                "order_id",
                "type",
                "user_id",
                "on_behalf_of_id",
                "automatic",
                "from_stage",
                "to_stage",
                "reason",
                "parameters",
                "created_at",
            ),
        )

    # -- numbers --

    def _next(self, key: str) -> int:
        value = self.sequences.get(key, 0) + 1
        self.sequences[key] = value
        return value

    def order_number(self, day: date) -> str:
        yyyymm = day.strftime("%Y%m")
        seq = self._next(f"order:{yyyymm}")
        return settings.ORDER_NUMBER_FORMAT.format(yyyymm=yyyymm, seq=seq, date=day)

    def save_sequences(self):
        existing = set(
            NumberSequence.objects.filter(key__in=self.sequences).values_list(
                "key", flat=True
            )
        )
        NumberSequence.objects.bulk_create(
            NumberSequence(key=k, last=v)
            for k, v in self.sequences.items()
            if k not in existing
        )
        for key in existing:
            NumberSequence.objects.filter(key=key, last__lt=self.sequences[key]).update(
                last=self.sequences[key]
            )

    # -- catalogue --

    def seed_catalogue(self, customers: int, products: int):
        rng = self.rng
        people: _People = self.people
        codes = set(Product.objects.values_list("model_code", flat=True))
        new_products = []
        kinds = (
            [Product.Kind.BACKPLATE] * 65 + [Product.Kind.PART] * 25 + ["mould"] * 10
        )
        n = 0
        while len(new_products) < products:
            n += 1
            kind = rng.choice(kinds)
            if kind == Product.Kind.BACKPLATE:
                code = f"GB-D{1000 + n:04d}"
                thickness = Decimal(rng.choice(("5.0", "5.5", "6.0", "6.5", "8.0")))
                product = Product(
                    model_code=code,
                    name=rng.choice(("盘式刹车片钢背", "商用车刹车片钢背", "鼓式钢背")),
                    kind=kind,
                    spec=f"D{1000 + n} 料厚{thickness}",
                    unit="片",
                    unit_price=Decimal(rng.randrange(250, 1500)) / 100,
                    material_thickness=thickness,
                )
            elif kind == Product.Kind.PART:
                code = f"LJ-{n:04d}"
                product = Product(
                    model_code=code,
                    name=rng.choice(("制动支架", "导向销", "回位弹簧", "卡钳体")),
                    kind=kind,
                    spec=rng.choice(("QT450 铸件加工", "45# 钢 调质", "65Mn")),
                    unit="件",
                    unit_price=Decimal(rng.randrange(1000, 20000)) / 100,
                )
            else:
                code = f"MJ-{n:04d}"
                product = Product(
                    model_code=code,
                    name=rng.choice(("钢背冲压模具", "精冲模具", "复合模")),
                    kind=Product.Kind.MOULD,
                    spec=rng.choice(("复合模 800T", "精冲模 400T", "级进模 630T")),
                    unit="套",
                    unit_price=Decimal(rng.randrange(20000, 120000)),
                )
            if code not in codes:
                codes.add(code)
                new_products.append(product)
        Product.objects.bulk_create(new_products)
        self.products = [
            _Product(p.pk, p.model_code, p.kind, p.spec, p.unit, p.unit_price)
            for p in Product.objects.filter(is_active=True).order_by("pk")
        ]
        self.backplates = [p for p in self.products if p.kind == "backplate"]
        self.others = [p for p in self.products if p.kind != "backplate"]

        names = set(Customer.objects.values_list("name", flat=True))
        new_customers = []
        # Customers belong to a salesperson; a few salespeople carry most of them.
        sales_weights = list(
            accumulate(1 / (i + 1) ** 0.8 for i in range(len(people.sales)))
        )
        while len(new_customers) < customers:
            name = (
                f"{rng.choice(CITIES)}{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司"
            )
            if name in names:
                name = name.replace("有限公司", f"{len(names) % 97 + 1}厂有限公司")
                if name in names:
                    continue
            names.add(name)
            body = f"91{rng.randrange(110000, 659999)}{rng.randrange(10**8, 10**9)}"
            type_ = rng.choices(
                (Customer.Type.KEY, Customer.Type.REGULAR, Customer.Type.NEW),
                (10, 60, 30),
            )[0]
            new_customers.append(
                Customer(
                    name=name,
                    contact=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(CONTACTS),
                    phone=f"0{rng.randrange(10, 999)}-{rng.randrange(10**7, 10**8)}",
                    address=name[:2] + "省",
                    type=type_,
                    tax_id=body + uscc_check_char(body) if rng.random() < 0.7 else "",
                    credit_limit=(
                        Decimal(rng.choice((50_000, 200_000, 500_000, 2_000_000)))
                        if rng.random() < 0.3
                        else None
                    ),
                )
            )
        Customer.objects.bulk_create(new_customers, batch_size=2000)
        rows = Customer.objects.order_by("pk").values_list(
            "pk", "name", "type", "credit_limit"
        )
        self.customers = [
            _Customer(
                pk,
                name,
                type_,
                limit,
                rng.choices(people.sales, cum_weights=sales_weights)[0],
            )
            for pk, name, type_, limit in rows
        ]
        # Big customers order more (a long tail of small ones).
        weights = [1 / (i + 1) ** 0.7 for i in range(len(self.customers))]
        rng.shuffle(weights)
        self.customer_weights = list(accumulate(weights))
        self.ctx.counts["customers"] = len(new_customers)
        self.ctx.counts["products"] = len(new_products)

    # -- people --

    def load_people(self):
        users = self.ctx.shared["users"]
        departments = self.ctx.shared["departments"]

        def ids(role):
            return [u.pk for u in users.get(role, [])]

        reviewers: dict[str, list[int]] = {}
        for user in users.get("dept_reviewer", []):
            code = next(
                (c for c, d in departments.items() if d.pk == user.department_id), None
            )
            reviewers.setdefault(code, []).append(user.pk)
        self.people = _People(
            sales=ids("sales"),
            sales_department={u.pk: u.department_id for u in users.get("sales", [])},
            quoters=ids("quoter"),
            managers=ids("production_manager"),
            gm=ids("general_manager")[0],
            technical=ids("technical"),
            planners=ids("production_planner"),
            qc=ids("qc_inspector"),
            warehouse=ids("warehouse"),
            finance=ids("finance"),
            reviewers=reviewers,
            departments={c: (d.pk, d.name) for c, d in departments.items()},
        )

    # -- one order --

    def _lines(self, count: int) -> tuple[list[tuple], set]:
        rng = self.rng
        lines, kinds = [], set()
        for position in range(1, count + 1):
            if rng.random() < 0.85:
                product = rng.choice(self.backplates)
            else:
                product = rng.choice(self.others)
            kinds.add(product.kind)
            if product.kind == "mould":
                quantity = Decimal(rng.choice((1, 1, 1, 2, 3)))
            elif product.kind == "part":
                quantity = Decimal(rng.choice((100, 200, 500, 1000, 3000)))
            else:
                quantity = Decimal(
                    rng.choices(
                        (500, 1000, 2000, 5000, 10000, 20000, 50000),
                        (10, 20, 25, 20, 12, 8, 5),
                    )[0]
                )
            # A line or two in twenty is a model not in the catalogue.
            free = rng.random() < 0.05
            net, tax, gross = line_amounts(quantity, product.price, True, VAT)
            lines.append(
                (
                    None,  # order id, set by the caller
                    position,
                    None if free else product.id,
                    product.code + ("-X" if free else ""),
                    product.spec,
                    quantity,
                    product.unit,
                    product.price,
                    True,
                    VAT,
                    net,
                    tax,
                    gross,
                )
            )
        return lines, kinds

    def new_walk(self, created: float, *, customer=None, lines=None) -> _Walk:
        rng = self.rng
        customer = (
            customer
            or rng.choices(self.customers, cum_weights=self.customer_weights)[0]
        )
        salesperson = (
            customer.salesperson
            if rng.random() < 0.9
            else rng.choice(self.people.sales)
        )
        if lines is None:
            count = rng.choices((1, 2, 3, 4, 5), (35, 25, 20, 12, 8))[0]
            lines, kinds = self._lines(count)
        else:
            kinds = {"backplate"}
        day = _local_date(created)
        return _Walk(
            order_id=self.writer.next_id(Order),
            number=self.order_number(day),
            customer=customer,
            salesperson=salesperson,
            created=created,
            lines=lines,
            net=cny(sum((x[10] for x in lines), Decimal(0))),
            tax=cny(sum((x[11] for x in lines), Decimal(0))),
            gross=cny(sum((x[12] for x in lines), Decimal(0))),
            important=rng.random() < 0.03,
            kinds=kinds,
            clock=created,
        )

    def _after(self, o: _Walk, low_days: float, high_days: float) -> float:
        """Move the walk's clock on; stop when that is after now."""
        o.clock += self.rng.uniform(low_days, high_days) * DAY
        if o.clock > self.now:
            raise _Stop
        return o.clock

    def _on(self, o: _Walk, d: date) -> float:
        """The clock on a given day (during working hours), never before it was."""
        o.clock = max(o.clock + 600, _at(d, self.rng.uniform(8.5, 17.5)))
        if o.clock > self.now:
            raise _Stop
        return o.clock

    def _event(self, o: _Walk, type_, user, *, reason="", automatic=False, **params):
        params.setdefault("version", o.version)
        o.last = o.clock
        o.events.append(
            (
                o.order_id,
                type_,
                user,
                None,
                automatic,
                params.pop("from_stage", ""),
                params.pop("to_stage", ""),
                reason,
                params,
                _dt(o.clock),
            )
        )

    def _move(self, o: _Walk, move: str, to: str, user, *, reason="", **params):
        """What orders.workflow.order_move writes: the deadline of the stage left is
        completed, the one entered started (with its entry due date), the version
        bumped, the event written."""
        now = o.clock
        old = o.stage
        if old in o.deadlines and o.deadlines[old][3] is None:
            o.deadlines[old][3] = now
        if to == Stage.ON_HOLD:
            o.held_stage = old
        elif old == Stage.ON_HOLD:
            o.held_stage = ""
        if to in STAGE_DEPARTMENTS and to != Stage.DRAFT:
            row = o.deadlines.get(to)
            if row is None:
                row = o.deadlines[to] = [
                    self.people.departments[STAGE_DEPARTMENTS[to]][0],
                    None,
                    None,
                    None,
                ]
            row[2], row[3] = now, None
            entry_due = {
                Stage.REVIEW: settings.ORDER_REVIEW_DUE_WORKING_DAYS,
                Stage.APPROVAL: settings.ORDER_APPROVAL_DUE_WORKING_DAYS,
                Stage.QUOTE: settings.ORDER_QUOTE_DUE_WORKING_DAYS,
                Stage.CONTRACT: settings.ORDER_CONTRACT_DUE_WORKING_DAYS,
            }
            if to in entry_due and (to == Stage.REVIEW or row[1] is None):
                row[1] = self.add_wd(_local_date(now), entry_due[to])
        o.stage = to
        o.stage_entered_at = now
        o.version += 1
        self._event(
            o,
            T.MOVED,
            user,
            reason=reason,
            from_stage=old,
            to_stage=to,
            move=move,
            **params,
        )

    def _cancel(self, o: _Walk):
        rng = self.rng
        reason, measures = rng.choice(CANCEL_REASONS)
        o.cancel_reason, o.loss_measures = reason, measures
        who = rng.choice(self.people.managers + [self.people.gm])
        self._move(o, "cancel", Stage.CANCELLED, who, reason=reason)

    def walk(self, o: _Walk, fate: str, cancel_at: str | None) -> None:
        """Replay the order's walk as the services make it, up to now."""
        rng, people = self.rng, self.people
        sales = o.salesperson
        self._event(o, T.CREATED, sales)
        if o.customer.limit is not None and rng.random() < 0.08:
            o.credit = Order.Credit.PENDING
            exposure = o.gross + o.customer.limit / 2
            self._event(
                o,
                T.CREDIT_FLAGGED,
                sales,
                automatic=True,
                exposure=str(exposure),
                limit=str(o.customer.limit),
            )
            self._after(o, 0.1, 3)
            o.credit = Order.Credit.APPROVED
            o.version += 1
            self._event(
                o, T.CREDIT_APPROVED, rng.choice(people.finance), reason="客户信誉良好"
            )
        if fate == "abandoned":
            return
        if cancel_at == Stage.DRAFT:
            self._after(o, 0.5, 10)
            return self._cancel(o)
        self._after(o, 0.02, 3)
        o.submitted_at = o.clock
        self._move(o, "submit", Stage.REVIEW, sales)
        self.review(o, fate)
        if o.stage != Stage.QUOTE and o.stage != Stage.APPROVAL:
            return
        if o.stage == Stage.APPROVAL:
            self._after(o, 0.05, 2)
            review = o.review
            review[14], review[15], review[16] = "approved", people.gm, _dt(o.clock)
            self._move(o, "approve", Stage.QUOTE, people.gm)
        if cancel_at == Stage.QUOTE:
            self._after(o, 1, 15)
            return self._cancel(o)
        self.quote(o)
        if cancel_at == Stage.CONTRACT:
            self._after(o, 1, 15)
            return self._cancel(o)
        self._after(o, 1, 6)
        self.contract(o)
        self._after(o, 0.05, 1)
        self.drawings(o)
        if cancel_at == Stage.PRODUCTION:
            self._after(o, 1, 10)
            return self._cancel(o)
        if fate == "busy":
            return
        self.finish(o, fate)

    def review(self, o: _Walk, fate: str) -> None:
        rng, people = self.rng, self.people
        manager = rng.choice(people.managers)
        self._after(o, 0.05, 1.5)
        codes = ["technical", "purchasing", "production", "quality"]
        if "mould" in o.kinds:
            codes.append("finance")
        review_id = self.writer.next_id(ContractReview)
        month = _local_date(o.clock).strftime("%Y%m")
        number = f"PS-{month}-{self._next(f'review:{month}'):04d}"
        # id, order, number, opened by, at, conclusion, raise, extend, conditions,
        # note, promised, concluded by, at, needs gm, gm decision, gm by, gm at, comment
        o.review = [
            review_id,
            o.order_id,
            number,
            manager,
            _dt(o.clock),
            "",
            False,
            False,
            "",
            "",
            None,
            None,
            None,
            False,
            "",
            None,
            None,
            "",
        ]
        o.version += 1
        departments = people.departments
        self._event(
            o,
            T.REVIEW_OPENED,
            manager,
            review=number,
            departments=[departments[c][1] for c in codes],
        )
        opened = o.clock
        signs = sorted((opened + rng.uniform(0.05, 3) * DAY, c) for c in codes)
        rows = {
            code: [
                review_id,
                departments[code][0],
                position,
                "",
                None,
                None,
                "",
                "",
                None,
                None,
            ]
            for position, code in enumerate(codes)
        }
        o.signoffs = rows
        days = {}
        for at, code in signs:
            if at > self.now:
                raise _Stop
            o.clock = max(o.clock, at)
            who = rng.choice(people.reviewers.get(code) or people.managers)
            opinion = "agree" if rng.random() < 0.85 else "conditional"
            risks = "" if opinion == "agree" else rng.choice(RISKS)
            needed = {
                "technical": rng.randint(1, 5),
                "purchasing": rng.randint(2, 10),
                "production": rng.randint(5, 25),
                "quality": rng.randint(1, 3),
                "finance": rng.randint(1, 3),
            }[code]
            days[code] = needed
            row = rows[code]
            row[3:10] = ["已评审", needed, True, risks, opinion, who, _dt(o.clock)]
            o.version += 1
            self._event(
                o,
                T.REVIEW_SIGNED,
                who,
                reason=risks,
                department=departments[code][1],
                days=needed,
                opinion=opinion,
            )
        self._after(o, 0.05, 1)
        review = o.review
        review[11], review[12] = manager, _dt(o.clock)
        if fate == "declined":
            note = "产能不足，无法满足客户交期"
            review[5], review[9] = "decline", note
            self._event(
                o,
                T.REVIEW_CONCLUDED,
                manager,
                reason=note,
                conclusion="decline",
                promised_date=None,
                needs_gm=review[13],
            )
            self._move(o, "decline", Stage.DECLINED, manager, reason=note)
            return
        conditional = suggests_conditions(_Probe(o))
        conclusion = "conditional" if conditional else "accept"
        review[5] = conclusion
        if conditional:
            review[6] = True
            review[8] = "小批量订单，单价上浮5%"
        review[13] = needs_gm(_Probe(o))
        # promise_schedule: the conclusion day + max(drawing, materials) + production
        # + inspection + delivery, in working days.
        start = _local_date(o.clock)
        committed = {stage: days.get(code, 0) for stage, code in DAYS_FROM.items()}
        committed["delivery"] = settings.ORDER_DELIVERY_WORKING_DAYS
        ready = max(committed["drawing"], committed["materials"])
        production = ready + committed["production"]
        inspection = production + committed["inspection"]
        delivery = inspection + committed["delivery"]
        due = {
            "drawing": self.add_wd(start, committed["drawing"]),
            "production": self.add_wd(start, production),
            "inspection": self.add_wd(start, inspection),
            "delivery": self.add_wd(start, delivery),
        }
        o.promised_date = review[10] = due["delivery"]
        for stage, day in due.items():
            o.deadlines[stage] = [
                people.departments[STAGE_DEPARTMENTS[stage]][0],
                day,
                None,
                None,
            ]
        o.version += 1
        self._event(
            o,
            T.REVIEW_CONCLUDED,
            manager,
            reason=review[8],
            conclusion=conclusion,
            promised_date=o.promised_date.isoformat(),
            needs_gm=review[13],
        )
        if review[13]:
            self._move(o, "accept", Stage.APPROVAL, manager)
        else:
            self._move(o, "accept_direct", Stage.QUOTE, manager)

    def quote(self, o: _Walk) -> None:
        rng, people = self.rng, self.people
        quoter = rng.choice(people.quoters)
        self._after(o, 0.1, 2)
        month = _local_date(o.clock).strftime("%Y%m")
        number = f"BJ-{month}-{self._next(f'quote:{month}'):05d}"
        quote_id = self.writer.next_id(Quote)
        prepared = o.clock
        # id, order, number, version, status, incl. tax, vat, discount, lead time,
        # terms, valid until, note, net, tax, gross, by, at, submitted, approved by,
        # approved at, comment, accepted on, how, accepted by
        row = [
            quote_id,
            o.order_id,
            number,
            1,
            Quote.Status.DRAFT,
            True,
            VAT,
            Decimal(0),
            30,
            rng.choice(PAYMENT_TERMS),
            _local_date(prepared) + timedelta(days=30),
            "",
            o.net,
            o.tax,
            o.gross,
            quoter,
            _dt(prepared),
            None,
            None,
            None,
            "",
            None,
            "",
            None,
        ]
        o.quote = row
        quote_params = {
            "quote": number,
            "quote_version": 1,
            "amount": str(o.gross),
        }
        o.version += 1
        self._event(o, T.QUOTE_PREPARED, quoter, superseded=[], **quote_params)
        self._after(o, 0.01, 0.5)
        row[4], row[17] = Quote.Status.SUBMITTED, _dt(o.clock)
        o.version += 1
        self._event(o, T.QUOTE_SUBMITTED, quoter, **quote_params)
        self._after(o, 0.05, 1.5)
        row[4], row[18], row[19] = Quote.Status.APPROVED, people.gm, _dt(o.clock)
        o.version += 1
        self._event(o, T.QUOTE_APPROVED, people.gm, **quote_params)
        self._after(o, 0.5, 10)
        accepted_on = _local_date(o.clock)
        how = rng.choice(Quote.AcceptedHow.values)
        row[4], row[21], row[22], row[23] = (
            Quote.Status.ACCEPTED,
            accepted_on,
            how,
            o.salesperson,
        )
        self._event(
            o,
            T.QUOTE_ACCEPTED,
            o.salesperson,
            how=str(Quote.AcceptedHow(how).label),
            accepted_on=accepted_on.isoformat(),
            **quote_params,
        )
        self._move(o, "quote_accepted", Stage.CONTRACT, o.salesperson)

    def contract(self, o: _Walk) -> None:
        self.contract_seq += 1
        signed = _local_date(o.clock)
        number = f"HT-{signed:%Y}-{o.order_id:07d}"
        name = f"{number}.pdf"
        o.contract = (
            o.order_id,
            number,
            signed,
            o.gross,
            "",
            f"contracts/{o.order_id}/{name}",
            name,
            "application/pdf",
            self.rng.randrange(80_000, 900_000),
            o.salesperson,
            _dt(o.clock),
        )
        self._event(
            o,
            T.CONTRACT_RECORDED,
            o.salesperson,
            contract=number,
            amount=str(o.gross),
            name=name,
        )
        self._move(o, "contract_signed", Stage.DRAWING, o.salesperson)

    def drawings(self, o: _Walk) -> None:
        rng = self.rng
        who = rng.choice(self.people.technical)
        title = f"{o.lines[0][3]} 总图"
        name = f"{o.lines[0][3]}.pdf"
        uploaded = o.clock
        self._event(
            o, T.DRAWING_UPLOADED, who, drawing=title, drawing_version=1, name=name
        )
        self._after(o, 0.01, 0.3)
        quality, process = "平面度≤0.15mm", "冲压后去应力退火"
        o.requirements = [
            (o.order_id, "quality", 1, quality, who, _dt(o.clock)),
            (o.order_id, "process", 1, process, who, _dt(o.clock)),
        ]
        self._event(
            o,
            T.REQUIREMENTS_WRITTEN,
            who,
            changes=[
                {"field": "quality", "old": None, "new": quality},
                {"field": "process", "old": None, "new": process},
            ],
        )
        self._after(o, 0.01, 0.5)
        o.drawing = [
            o.order_id,
            1,
            title,
            f"drawings/{o.order_id}/{name}",
            name,
            "application/pdf",
            rng.randrange(100_000, 3_000_000),
            "",
            who,
            _dt(uploaded),
            _dt(o.clock),
            who,
            None,
            None,
            "",
        ]
        self._move(
            o,
            "drawings_issued",
            Stage.PRODUCTION,
            who,
            drawing=title,
            drawing_version=1,
            name=name,
        )

    def _late(self) -> int:
        """Working days early (negative) or late against a committed date."""
        if self.rng.random() < 0.7:
            return -self.rng.randint(0, 3)
        return self.rng.randint(1, 8)

    def _done_by(self, o: _Walk, stage: str) -> date:
        due = o.deadlines[stage][1]
        day = self.add_wd(due, self._late())
        return max(day, _local_date(o.clock))

    def finish(self, o: _Walk, fate: str) -> None:
        rng, people = self.rng, self.people
        self._on(o, self._done_by(o, "production"))
        self._move(o, "production_done", Stage.INSPECTION, rng.choice(people.planners))
        self._on(o, self._done_by(o, "inspection"))
        self._move(o, "inspection_passed", Stage.DELIVERY, rng.choice(people.qc))
        self._on(o, self._done_by(o, "delivery"))
        self._move(o, "delivered", Stage.SETTLEMENT, rng.choice(people.warehouse))
        if fate == "unpaid":
            return
        self._after(o, 3, 60)
        self._move(o, "settled", Stage.COMPLETED, rng.choice(people.finance))
        # Drawings are recalled and kept once the order is done.
        self._after(o, 0.1, 5)
        who = rng.choice(people.technical)
        reason = "订单完成，收回图纸"
        o.drawing[12], o.drawing[13], o.drawing[14] = _dt(o.clock), who, reason
        self._event(o, T.DRAWINGS_RECALLED, who, reason=reason, count=1)

    def hold(self, o: _Walk) -> None:
        """A change request waiting for the production manager: the order is held."""
        rng = self.rng
        o.clock = rng.uniform(o.last, self.now)
        change_id = self.writer.next_id(ChangeRequest)
        reason = "客户追加数量并推迟交期"
        first = o.lines[0]
        more = first[5] + 1000
        amount_after = o.gross + line_amounts(1000, first[7], True, VAT)[2]
        changes = [
            {"field": "quantity", "line": 1, "old": str(first[5]), "new": str(more)}
        ]
        proposed = {
            "header": {"customer": o.customer.id, "requested_date": None},
            "lines": [
                {
                    "model_code": x[3],
                    "spec": x[4],
                    "quantity": str(more if x is first else x[5]),
                    "unit": x[6],
                    "unit_price": str(x[7]),
                    "price_includes_tax": True,
                    "vat_rate": str(VAT),
                    "product": x[2],
                }
                for x in o.lines
            ],
        }
        o.change = (
            change_id,
            o.order_id,
            ChangeRequest.Status.PENDING,
            reason,
            proposed,
            changes,
            o.gross,
            amount_after,
            abs(amount_after - o.gross)
            > Decimal(settings.ORDER_CHANGE_GM_APPROVAL_AMOUNT),
            o.salesperson,
            _dt(o.clock),
            "",
            None,
            None,
        )
        self._event(
            o,
            T.CHANGE_REQUESTED,
            o.salesperson,
            reason=reason,
            change_request=change_id,
            changes=changes,
        )
        self._move(
            o,
            "hold",
            Stage.ON_HOLD,
            o.salesperson,
            reason=reason,
            change_request=change_id,
        )

    # -- writing --

    def write(self, o: _Walk, *, customer_po: str | None = None) -> None:
        rng = self.rng
        w = self.writer
        order_id = o.order_id
        current = o.deadlines.get(o.stage)
        due = current[1] if current and o.stage not in (Stage.ON_HOLD,) else None
        if o.stage in (
            Stage.DRAFT,
            Stage.ON_HOLD,
            Stage.COMPLETED,
            Stage.CANCELLED,
            Stage.DECLINED,
        ):
            due = None
        created_day = _local_date(o.created)
        w.add(
            Order,
            (
                order_id,
                o.number,
                o.customer.id,
                o.salesperson,
                self.people.sales_department.get(o.salesperson),
                rng.choice(Order.Channel.values),
                customer_po
                if customer_po is not None
                # unique per customer (order_customer_po_unique); the draw
                # is kept so the rest of the seed stays as it was
                else (
                    f"PO-{rng.randrange(10**5, 10**6)}-{order_id}"
                    if rng.random() < 0.6
                    else ""
                ),
                created_day,
                created_day + timedelta(days=rng.randint(30, 90)),
                o.promised_date,
                Decimal(rng.choice((0, 0, 30))),
                rng.random() < 0.2,
                rng.choice((None, None, 30, 60, 90)),
                Decimal(rng.choice((0, 0, 0, 5))),
                "平面度≤0.15mm" if rng.random() < 0.2 else "",
                "钢背表面磷化处理" if rng.random() < 0.05 else "",
                o.important,
                "",
                o.stage,
                o.held_stage,
                _dt(o.stage_entered_at) if o.stage_entered_at else None,
                due,
                "",
                o.credit,
                o.net,
                o.tax,
                o.gross,
                o.cancel_reason,
                o.loss_measures,
                o.version,
                o.salesperson,
                _dt(o.created),
                _dt(o.submitted_at) if o.submitted_at else None,
                _dt(max(o.last, o.created)),
            ),
        )
        for line in o.lines:
            w.add(OrderLine, (order_id, *line[1:]))
        review = getattr(o, "review", None)
        if review is not None:
            w.add(ContractReview, tuple(review))
            for row in o.signoffs.values():
                w.add(ReviewSignoff, tuple(row))
        quote = getattr(o, "quote", None)
        if quote is not None:
            w.add(Quote, tuple(quote))
            for line in o.lines:
                w.add(
                    QuoteLine,
                    (quote[0], line[1], line[3], line[4], line[5], line[6], line[7])
                    + line[10:13],
                )
        contract = getattr(o, "contract", None)
        if contract is not None:
            w.add(Contract, contract)
        drawing = getattr(o, "drawing", None)
        if drawing is not None:
            w.add(Drawing, tuple(drawing))
            for row in o.requirements:
                w.add(KeyRequirement, row)
        change = getattr(o, "change", None)
        if change is not None:
            w.add(ChangeRequest, change)
        for stage, (dept, due_day, started, completed) in o.deadlines.items():
            w.add(
                StageDeadline,
                (
                    order_id,
                    stage,
                    dept,
                    due_day,
                    _dt(started) if started else None,
                    _dt(completed) if completed else None,
                ),
            )
        for event in o.events:
            w.add(OrderEvent, event)

    # -- the run --

    def fates(self, created: float) -> tuple[str, str | None]:
        """What becomes of an order: most are completed; a few are cancelled (at
        some stage), declined at review, abandoned as drafts or never paid."""
        r = self.rng.random()
        if r < 0.07:
            return "cancelled", self.rng.choice(
                (
                    Stage.DRAFT,
                    Stage.QUOTE,
                    Stage.QUOTE,
                    Stage.CONTRACT,
                    Stage.PRODUCTION,
                )
            )
        if r < 0.10:
            return "declined", None
        if r < 0.101:
            return "abandoned", None
        if r < 0.103:
            return "unpaid", None
        return "completed", None

    def run(self, count: int) -> None:
        ctx, rng = self.ctx, self.rng
        start = self.now - YEARS * 365.25 * DAY
        # Arrival times, oldest first: numbers rise with time as the services give
        # them. Orders come in on working days, during office hours.
        created = []
        for _ in range(count):
            ts = rng.uniform(start, self.now - 600)
            day = _local_date(ts)
            if not self.calendar.is_working_day(day) and rng.random() < 0.9:
                day = self.add_wd(day, 1)
            ts = _at(day, rng.uniform(8, 18))
            created.append(min(ts, self.now - 60))
        created.sort()
        started = time.monotonic()
        done = 0
        for first in range(0, count, ctx.batch):
            with transaction.atomic():
                for ts in created[first : first + ctx.batch]:
                    o = self.new_walk(ts)
                    fate, cancel_at = self.fates(ts)
                    try:
                        self.walk(o, fate, cancel_at)
                    except _Stop:
                        o.clock = o.last
                        if o.stage in HOLDABLE and rng.random() < 0.03:
                            self.hold(o)
                    self.write(o)
                done += min(ctx.batch, count - first)
                self.writer.flush()
            elapsed = time.monotonic() - started
            ctx.out(
                f"  orders {done:>9,}/{count:,}  {elapsed:7.1f} s  "
                f"({done / max(elapsed, 1e-9):,.0f}/s)"
            )

    def busy_order(self) -> None:
        """One order in production with 200 lines and 500 events: the heaviest order
        page a user opens (many change requests, attachments and drawing
        re-issues over a long project)."""
        rng, people = self.rng, self.people
        created = self.now - 200 * DAY
        lines, _kinds = self._lines(BUSY_LINES)
        big = max(self.customers, key=lambda c: c.type == Customer.Type.KEY)
        o = self.new_walk(created, customer=big, lines=lines)
        self.walk(o, "busy", None)
        if o.stage != Stage.PRODUCTION:
            raise RuntimeError(f"the busy order stopped at {o.stage}")
        step = (self.now - o.clock - DAY) / (BUSY_EVENTS - len(o.events) + 1)
        attachments = []
        while len(o.events) < BUSY_EVENTS:
            o.clock += step
            kind = rng.random()
            room = BUSY_EVENTS - len(o.events)
            if kind < 0.5 or room < 3:
                name = f"客户来函{len(attachments) + 1:03d}.pdf"
                size = rng.randrange(20_000, 2_000_000)
                attachments.append(
                    (
                        o.order_id,
                        f"orders/{o.order_id}/{name}",
                        name,
                        "application/pdf",
                        size,
                        o.salesperson,
                        _dt(o.clock),
                    )
                )
                self._event(o, T.ATTACHMENT_ADDED, o.salesperson, name=name, size=size)
            else:
                who = rng.choice(people.technical)
                self._event(
                    o,
                    T.DRAWINGS_RECALLED,
                    who,
                    reason="客户修改孔位，图纸收回",
                    count=1,
                )
                o.clock += step / 3
                self._event(
                    o,
                    T.DRAWINGS_REISSUED,
                    who,
                    drawing=o.drawing[2],
                    drawing_version=1,
                    name=o.drawing[4],
                )
        # one busy order: a run appended to a seeded database adds another under
        # a PO number of its own (order_customer_po_unique)
        po = BUSY_PO
        if Order.objects.filter(customer_po=BUSY_PO).exists():
            po = f"{BUSY_PO}-{o.order_id}"
        with transaction.atomic():
            self.write(o, customer_po=po)
            for row in attachments:
                self.writer.add(OrderAttachment, row)
            self.writer.flush()


class _Probe:
    """The few order fields the review rules read (suggests_conditions, needs_gm)."""

    def __init__(self, o: _Walk):
        self.customer = o.customer
        self.gross_amount = o.gross
        self.is_important = o.important


def seed_scale_orders(ctx: ScaleContext) -> None:
    writer = BulkWriter()
    seeder = OrderSeeder(ctx, writer)
    seeder.load_people()
    with transaction.atomic():
        seeder.seed_catalogue(
            customers=max(20, ctx.orders // 40), products=min(300, 30 + ctx.orders)
        )
    seeder.run(ctx.orders)
    seeder.busy_order()
    with transaction.atomic():
        seeder.save_sequences()
        writer.reset_sequences()
    ctx.counts.update(writer.written())
