"""How an app takes part in the walk without editing `orders`.

`orders` keeps the table of stages and moves (orders.workflow) and the one gate.
Everything else an app brings, it declares here from its AppConfig.ready(), the way
Django's admin site and system checks let an app register itself:

- `move(Move(...))` — a move of the walk the app owns: from which stages, to which,
  who may make it (permission and relation rule), its button;
- `precondition(move)` — what must be true before a move (the gate refuses with the
  function's words otherwise);
- `effect(move)` — what a move does besides changing the stage: `before` runs on the
  locked order before it is saved (set fields, name them in `transition.fields`),
  `after` runs once it is saved, in the same transaction;
- `panel(...)` — a section of the order page or of the contract review sheet;
- `event_type(...)` — a kind of history line, its label and how it reads;
- `due_source(...)` — things inside a stage with their own due date and responsible
  party (a sign-off, a milestone, a dispatch slip …), which the tracker, the
  reminders and the lateness points read;
- queues are declared in core.queues.

Queues, panels and event types are read by code that does not know which apps exist;
nothing here imports an app.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from accounts.permissions import may, role_permissions

# --- moves ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    code: str
    label: object
    sources: frozenset[str]
    target: str | Callable[[object], str]
    # One permission, or a tuple of which any one suffices (what the roles hold).
    permission: str | tuple[str, ...]
    needs_reason: bool = False
    # Moves offered as buttons on the order page; the others are made by services
    # (hold/resume by change requests, later stages by their own pages).
    button: bool = False
    style: str = ""
    extra: tuple[str, ...] = field(default=())
    # The declared rule (the owning app's permissions) the actor must pass on this
    # order: the permission and the actor's relation to the order.
    rule: str = ""
    # The app whose services make this move and whose records allow it.
    app: str = "orders"

    def allowed(self, user) -> bool:
        """Whether the user's roles hold the move's permission at all (any order)."""
        wanted = (
            (self.permission,) if isinstance(self.permission, str) else self.permission
        )
        held = role_permissions(user)
        return any(p in held for p in wanted)

    def permits(self, user, order) -> bool:
        """Whether the user may make this move on this order: the permission and
        the relation to the order, as declared in orders.permissions."""
        return may(user, self.rule, order)

    def target_for(self, order) -> str:
        return self.target(order) if callable(self.target) else self.target

    @property
    def precondition_doc(self) -> str:
        docs = [str(p.doc) for p in preconditions_of(self.code)]
        return "; ".join(docs)

    def refusal(self, order) -> str | None:
        """Why the move cannot be made now (its app is not installed, or one of its
        declared preconditions is not met), or None."""
        if not apps.is_installed(self.app):
            return _(
                "Not possible yet: this step is recorded in a part of the system "
                "that is not installed."
            )
        for precondition in preconditions_of(self.code):
            refusal = precondition.check(order)
            if refusal:
                return refusal
        return None


# The whole table of moves: orders' own (orders.workflow) and each app's, registered
# from its AppConfig.ready(). The gate (orders.workflow.order_move) reads it.
MOVES: dict[str, Move] = {}


def move(m: Move, *, override: bool = False) -> Move:
    """Declare a move of the walk: where from, where to, who may make it (its
    permission and the rule of the actor's relation to the order), its button.
    A code declared twice is refused unless `override` says the app means it."""
    if m.code in MOVES and MOVES[m.code] != m and not override:
        raise ValueError(f"Move {m.code!r} is registered twice")
    if len(m.code) > 32:
        raise ValueError(f"Move code {m.code!r} is longer than 32 characters")
    MOVES[m.code] = m
    return m


# --- moves: preconditions and effects ------------------------------------------------


@dataclass
class Transition:
    """One move in progress, as the gate hands it to preconditions and effects."""

    order: object  # locked; `before` effects may set fields on it
    move: object  # the workflow.Move
    actor: object
    reason: str
    fields: dict  # the move's extra fields, as posted (loss_measures …)
    from_stage: str
    to_stage: str
    now: datetime
    automatic: bool = False
    update_fields: list[str] = field(default_factory=list)
    parameters: dict = field(default_factory=dict)  # added to the move's event


@dataclass(frozen=True)
class Precondition:
    check: Callable[[object], object]  # (order) -> None when met, or the refusal text
    doc: object  # what must be true, for docs/workflow.md
    app: str


@dataclass(frozen=True)
class Effect:
    run: Callable[[Transition], None]
    when: str  # "before" or "after"
    app: str
    doc: object = ""


_PRECONDITIONS: dict[str, list[Precondition]] = defaultdict(list)
_EFFECTS: dict[str, list[Effect]] = defaultdict(list)


def precondition(move: str, *, app: str, doc) -> Callable:
    """Decorator: `check(order)` returns None when the move may be made, or the
    refusal the user reads."""

    def register(check):
        _PRECONDITIONS[move].append(Precondition(check, doc, app))
        return check

    return register


def effect(move: str, *, app: str, when: str = "after", doc="") -> Callable:
    """Decorator: `run(transition)` does what the move does besides the stage."""
    if when not in ("before", "after"):
        raise ValueError(f"when must be 'before' or 'after', not {when!r}")

    def register(run):
        _EFFECTS[move].append(Effect(run, when, app, doc))
        return run

    return register


def preconditions_of(move: str) -> list[Precondition]:
    return list(_PRECONDITIONS.get(move, ()))


def effects_of(move: str, when: str) -> list[Effect]:
    return [e for e in _EFFECTS.get(move, ()) if e.when == when]


# --- panels ------------------------------------------------------------------------------

ORDER_PAGE = "order"
REVIEW_SHEET = "review_sheet"


@dataclass(frozen=True)
class Panel:
    """A section of a page about one order. `context(order, user)` returns the
    template's context, or None when the panel has nothing to show."""

    key: str
    where: str  # ORDER_PAGE or REVIEW_SHEET
    template: str
    context: Callable[[object, object], dict | None]
    position: int = 100
    app: str = ""


_PANELS: dict[str, Panel] = {}


def panel(p: Panel, *, override: bool = False) -> Panel:
    if p.where not in (ORDER_PAGE, REVIEW_SHEET):
        raise ValueError(f"Unknown place {p.where!r} for panel {p.key!r}")
    if p.key in _PANELS and _PANELS[p.key] != p and not override:
        raise ValueError(f"Panel {p.key!r} is registered twice")
    _PANELS[p.key] = p
    return p


def panels_for(where: str) -> list[Panel]:
    return sorted(
        (p for p in _PANELS.values() if p.where == where),
        key=lambda p: (p.position, p.key),
    )


@dataclass
class RenderedPanel:
    key: str
    template: str
    context: dict


def render_panels(where: str, order, user) -> list[RenderedPanel]:
    """The panels that have something to show, with their context."""
    shown = []
    for p in panels_for(where):
        context = p.context(order, user)
        if context is not None:
            shown.append(RenderedPanel(p.key, p.template, context))
    return shown


# --- event types -------------------------------------------------------------------------


@dataclass(frozen=True)
class EventType:
    """A kind of history line. `detail(event)` gives the figures that say what
    happened; `reason_label` names the event's free text. A line reads as much of
    its subject as the subject itself shows: `readable_by` names the action
    (accounts.permissions, asked with the order) a reader needs to see lines of
    this kind — None when whoever reads the order may read them."""

    code: str
    label: object
    app: str
    detail: Callable[[object], str] | None = None
    reason_label: object = None
    readable_by: str | None = None


_EVENT_TYPES: dict[str, EventType] = {}


def event_type(t: EventType) -> EventType:
    if len(t.code) > 32:
        raise ValueError(f"Event type code {t.code!r} is longer than 32 characters")
    if t.code in _EVENT_TYPES and _EVENT_TYPES[t.code] != t:
        raise ValueError(f"Event type {t.code!r} is registered twice")
    _EVENT_TYPES[t.code] = t
    return t


def event_type_of(code: str) -> EventType | None:
    return _EVENT_TYPES.get(code)


def event_types() -> list[EventType]:
    return list(_EVENT_TYPES.values())


def guarded_event_types() -> list[EventType]:
    """The kinds of history line not every reader of the order may read."""
    return [t for t in _EVENT_TYPES.values() if t.readable_by]


_MOVE_DETAILS: dict[str, Callable[[dict], str]] = {}


def move_detail(move: str, detail: Callable[[dict], str]) -> None:
    """How a move's own event reads, from the parameters its service gave the gate
    (the drawing issued, the slip that finished production …)."""
    _MOVE_DETAILS[move] = detail


def move_detail_of(move: str) -> Callable[[dict], str] | None:
    return _MOVE_DETAILS.get(move)


# --- due items ----------------------------------------------------------------------------


@dataclass
class DueItem:
    """Something inside a stage with its own due date and responsible party.

    Two dates: `due_date` is the date now due — what reminders chase; an agreed new
    date (a plan change, a date agreed with the customer) moves it — and
    `committed_date` the date first committed, which lateness counts against and
    nothing moves (it is `due_date` when the source keeps no other). `key` names
    the item for good: its source and its object's id."""

    order_id: int
    source: str  # the DueSource's key
    what: object
    due_date: date | None
    department_id: int | None = None
    user_id: int | None = None
    done_at: datetime | None = None
    stage: str = ""
    object_id: int | None = None
    committed_date: date | None = None

    def __post_init__(self):
        if self.committed_date is None:
            self.committed_date = self.due_date

    @property
    def key(self) -> str:
        return f"{self.source}:{self.object_id}"

    @property
    def date_moved(self) -> bool:
        return self.committed_date != self.due_date


@dataclass(frozen=True)
class DueSource:
    """`for_order(order)` lists the order's items (done ones included); `open_items()`
    every item still open (a queryset-backed iterable of DueItems).

    `open_rows(until)`, optional: the open items due on or before `until` as one
    query — a `.values()` queryset whose rows carry the keys of `DUE_ROW`, or a
    `.values_list()` one in that order (when a column's name is a field's) — so the
    reminder scan is a handful of SQL queries over the open rows, not a Python loop.
    A source without it is read through `open_items()`."""

    key: str
    label: object
    stage: str
    app: str
    for_order: Callable[[object], list[DueItem]]
    open_items: Callable[[], object]
    doc: object = ""
    open_rows: Callable[[date], object] | None = None


# The columns of a row of `DueSource.open_rows(until)`: the item's object id (its key
# is "<source>:<object_id>"), its order's id and number, the date now due and the
# date first committed, the responsible person (or None) and department (or None),
# and a short text naming the item (a slip's number, a department …).
DUE_ROW = (
    "object_id",
    "order_id",
    "order_number",
    "due_date",
    "committed_date",
    "user_id",
    "department_id",
    "label",
)


_DUE_SOURCES: dict[str, DueSource] = {}


def due_source(s: DueSource, *, override: bool = False) -> DueSource:
    """Declare a source of due items. A key declared before is refused unless
    `override` says the app takes it over (production keeps the materials
    milestone that orders declares)."""
    if s.key in _DUE_SOURCES and _DUE_SOURCES[s.key] != s and not override:
        raise ValueError(f"Due source {s.key!r} is registered twice")
    _DUE_SOURCES[s.key] = s
    return s


def due_sources() -> list[DueSource]:
    return list(_DUE_SOURCES.values())


def due_items_for(order) -> list[DueItem]:
    items = []
    for source in _DUE_SOURCES.values():
        items.extend(source.for_order(order))
    return sorted(items, key=lambda i: (i.due_date is None, i.due_date or date.max))


# --- line quantities ------------------------------------------------------------------------
#
# Each app reports, per order line, the quantities it answers for (planned, produced,
# inspected, passed, shipped, invoiced …), each a sum of its own records. The order
# page's roll-up and any app's precondition read them here, never another app's
# tables.


@dataclass(frozen=True)
class LineQuantity:
    """One column of the roll-up: its code (what preconditions ask for), its label
    and where it stands (ordered is 0; production 20–39, quality 40–59, delivery
    60–79, settlement 80–99)."""

    code: str
    label: object
    position: int


@dataclass(frozen=True)
class LineQuantitySource:
    """`for_order(order)` gives {line id: {code: quantity}} for the app's columns
    (a fixed number of queries whatever the number of lines and records), or {}
    when the order has none yet."""

    key: str
    app: str
    columns: tuple[LineQuantity, ...]
    for_order: Callable[[object], dict]
    doc: object = ""


_LINE_SOURCES: dict[str, LineQuantitySource] = {}


def line_quantity_source(
    s: LineQuantitySource, *, override: bool = False
) -> LineQuantitySource:
    if s.key in _LINE_SOURCES and _LINE_SOURCES[s.key] != s and not override:
        raise ValueError(f"Line quantity source {s.key!r} is registered twice")
    codes = {c.code for source in _LINE_SOURCES.values() for c in source.columns}
    if s.key not in _LINE_SOURCES and codes & {c.code for c in s.columns}:
        raise ValueError(f"A column of {s.key!r} is declared by another source")
    _LINE_SOURCES[s.key] = s
    return s


def line_quantity_sources() -> list[LineQuantitySource]:
    return list(_LINE_SOURCES.values())


def line_columns() -> list[LineQuantity]:
    return sorted(
        (c for s in _LINE_SOURCES.values() for c in s.columns),
        key=lambda c: (c.position, c.code),
    )


def line_quantities(order) -> dict[int, dict]:
    """{line id: {code: quantity}} from every source (a code a source leaves out
    of a line reads as 0)."""
    result: dict[int, dict] = {}
    for source in _LINE_SOURCES.values():
        for line_id, figures in source.for_order(order).items():
            result.setdefault(line_id, {}).update(figures)
    return result


# --- checks on actions ------------------------------------------------------------------
#
# Not every step moves the order: issuing a plan, reporting on a slip, shipping,
# invoicing happen inside a stage. An app declares the actions it performs on an
# order (`action(...)`) and its services ask `action_refusal` before performing one
# (orders.services.action_require raises it); any app may hold an action with a
# check of its own words (finance's payment gate on shipping, say) without the
# acting app importing it. A check on ANY_ACTION holds every action: an order on
# hold for a change request is one.

ANY_ACTION = "*"


@dataclass(frozen=True)
class Action:
    code: str  # "production.issue_plan"
    label: object
    app: str


@dataclass(frozen=True)
class ActionCheck:
    check: Callable[..., object]  # (order, action=code, **context) -> None or why
    app: str
    doc: object = ""


_ACTIONS: dict[str, Action] = {}
_ACTION_CHECKS: dict[str, list[ActionCheck]] = defaultdict(list)


def action(a: Action, *, override: bool = False) -> Action:
    if a.code in _ACTIONS and _ACTIONS[a.code] != a and not override:
        raise ValueError(f"Action {a.code!r} is registered twice")
    _ACTIONS[a.code] = a
    return a


def actions() -> list[Action]:
    return list(_ACTIONS.values())


def action_check(code: str, *, app: str, doc="") -> Callable:
    """Decorator: `check(order, action=code, **context)` returns None when the action
    may go ahead, or the refusal the user reads. `code` is an action's, or
    ANY_ACTION for every action."""

    def register(check):
        _ACTION_CHECKS[code].append(ActionCheck(check, app, doc))
        return check

    return register


def action_checks_of(code: str) -> list[ActionCheck]:
    return list(_ACTION_CHECKS.get(ANY_ACTION, ())) + list(_ACTION_CHECKS.get(code, ()))


def action_refusal(code: str, order, **context):
    """Why the action may not be performed on the order now, or None. An action no
    app declared is a programming error, not a silent yes."""
    if code not in _ACTIONS:
        raise LookupError(f"No action declared as {code!r}")
    for held in action_checks_of(code):
        refusal = held.check(order, action=code, **context)
        if refusal:
            return refusal
    return None


# --- an app leaving --------------------------------------------------------------------


def forget_app(app: str) -> None:
    """Everything `app` registered here, gone (a test's app plugged in and out; the
    walk then reads as it does for a factory without the app)."""
    for code in [c for c, m in MOVES.items() if m.app == app]:
        del MOVES[code]
    for table in (_PRECONDITIONS, _EFFECTS, _ACTION_CHECKS):
        for key in list(table):
            table[key] = [entry for entry in table[key] if entry.app != app]
    for table in (_PANELS, _EVENT_TYPES, _DUE_SOURCES, _LINE_SOURCES, _ACTIONS):
        for key in [k for k, entry in table.items() if entry.app == app]:
            del table[key]
