"""Seeing is not acting: every POST action × every demo user, over HTTP.

The expectations below are written by hand from the roles in DOMAIN.md — who takes
orders, who organises the review, who signs which row, who approves, who quotes, who
records the contract, who issues drawings — never captured from today's responses.
Multi-role users are in: sales2 is salesperson and quoter (the quoter role sees every
order, but a salesperson acts on their own orders only), prodmgr and techmgr are
department reviewers too, admin is a superuser whose role is system administration.

For each action: everyone not listed is refused (403, or 404 when they do not even
see the order) and nothing anywhere changes; everyone listed succeeds on an order of
their own in the same situation, and something is written. A URL added to the
project without an entry here fails `test_every_url_is_in_the_matrix`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import Department
from core.models import FormSubmission
from delivery.models import (
    CustomerReceipt,
    DateAgreement,
    Shipment,
    ShipmentLine,
    ShortfallClosure,
    StockReceipt,
)
from imports.models import ImportLog
from orders.models import (
    ApprovalDelegation,
    ChangeRequest,
    Contract,
    ContractReview,
    Customer,
    Drawing,
    KeyRequirement,
    Order,
    OrderAttachment,
    OrderEvent,
    Quote,
    ReviewSignoff,
)
from production.models import (
    DispatchSlip,
    MaterialArrival,
    MaterialLine,
    MaterialRequirement,
    PlanChange,
    PlanReceipt,
    ProductionPlan,
    ReportPhoto,
    ReportReversal,
    Routing,
    RoutingStep,
    ScreenLink,
    SlipReport,
)
from quality.models import (
    ConsentDocument,
    Inspection,
    InspectionPhoto,
    Nonconformance,
    NonconformanceReview,
)
from tests.walk import PDF, materials_post, plan_of, slip_of, steel, walk

pytestmark = pytest.mark.django_db

DEMO = (
    "admin",
    "sales1",
    "sales2",
    "prodmgr",
    "techmgr",
    "purchasing",
    "qcmgr",
    "finance",
    "gm",
    "chairman",
    "planner",
    "lead_cutting",
    "lead_line1",
    "lead_maint",
    "qc1",
    "warehouse",
    "aftersales",
)


@dataclass(frozen=True)
class Action:
    situation: str
    allowed: frozenset[str]
    # (order, users) -> (path, data)
    request: object
    note: str = ""
    files: tuple = field(default=())


def _order_form(order, version=None, **extra) -> dict:
    data = {
        "form_token": "",
        "version": "" if version is None else str(version),
        "customer": order.customer_id if order else "",
        "channel": "phone",
        # a PO number names one order of its customer
        "customer_po": f"PO-{uuid.uuid4().hex[:8]}",
        "requested_date": (timezone.localdate() + timedelta(days=40)).isoformat(),
        "deposit_percent": "",
        "retention_percent": "",
        "monthly_settlement_days": "",
        "quality_requirements": "",
        "special_requirements": "",
        "notes": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-product": "",
        "lines-0-model_code": "GB-D1092",
        "lines-0-spec": "",
        "lines-0-quantity": "500",
        "lines-0-unit": "片",
        "lines-0-unit_price": "3.20",
        "lines-0-price_includes_tax": "on",
        "lines-0-vat_percent": "13",
    }
    data.update(extra)
    return data


def _at(order, tail):
    return f"/orders/{order.number}/{tail}"


def _row(order, department):
    return ReviewSignoff.objects.get(review__order=order, department__code=department)


def _sign(department):
    def request(order, users):
        row = _row(order, department)
        return _at(order, f"review/sign/{row.pk}/"), {
            "content": "已评审",
            "days_needed": "4",
            "resources_ok": "yes",
            "risks": "",
            "opinion": "agree",
        }

    return request


def _change(order):
    return ChangeRequest.objects.filter(order=order).latest("id")


def _pdf(name="file.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


TODAY = timezone.localdate


ACTIONS: dict[str, Action] = {
    "orders:create": Action(
        "draft",
        frozenset({"sales1", "sales2"}),
        lambda o, u: ("/orders/new/", _order_form(o)),
    ),
    "orders:customer_create": Action(
        "draft",
        frozenset({"sales1", "sales2", "admin"}),
        lambda o, u: (
            "/orders/customers/new/",
            {"customer-name": f"新客户{o.number}", "customer-type": "new"},
        ),
        "the admin keeps the customer catalogue",
    ),
    "orders:edit": Action(
        "draft",
        frozenset({"sales1"}),
        lambda o, u: (_at(o, "edit/"), _order_form(o, o.version)),
    ),
    "orders:copy": Action(
        "draft", frozenset({"sales1"}), lambda o, u: (_at(o, "copy/"), {})
    ),
    "orders:move:submit": Action(
        "draft",
        frozenset({"sales1"}),
        lambda o, u: (_at(o, "move/submit/"), {"version": o.version}),
    ),
    "orders:move:send_back": Action(
        "review",
        frozenset({"prodmgr"}),
        lambda o, u: (
            _at(o, "move/send_back/"),
            {"version": o.version, "reason": "资料不全"},
        ),
    ),
    "orders:move:cancel": Action(
        "review",
        frozenset({"prodmgr", "gm"}),
        lambda o, u: (
            _at(o, "move/cancel/"),
            {"version": o.version, "reason": "客户取消", "loss_measures": "停止备料"},
        ),
    ),
    "orders:attach": Action(
        "review",
        frozenset({"sales1", "prodmgr"}),
        lambda o, u: (_at(o, "attach/"), {"file": _pdf()}),
    ),
    "orders:credit_approve": Action(
        "draft_over_credit",
        frozenset({"finance"}),
        lambda o, u: (_at(o, "credit/"), {"reason": "老客户，回款及时"}),
    ),
    "orders:change_create": Action(
        "review",
        frozenset({"sales1"}),
        lambda o, u: (
            _at(o, "changes/new/"),
            {
                **_order_form(o, o.version),
                "reason": "客户加量",
                "requested_date": o.requested_date.isoformat(),
            },
        ),
    ),
    "orders:change_decide": Action(
        "change_pending",
        frozenset({"prodmgr"}),
        lambda o, u: (
            _at(o, f"changes/{_change(o).pk}/decide/"),
            {"decision": "approve", "comment": ""},
        ),
    ),
    "orders:change_decide:gm": Action(
        "change_awaiting_gm",
        frozenset({"gm"}),
        lambda o, u: (
            _at(o, f"changes/{_change(o).pk}/decide/"),
            {"decision": "approve", "comment": "同意"},
        ),
    ),
    "orders:review_open": Action(
        "review",
        frozenset({"prodmgr"}),
        lambda o, u: (_at(o, "review/open/"), {"departments": ["technical"]}),
    ),
    "orders:review_sign:technical": Action(
        "review_open", frozenset({"techmgr"}), _sign("technical")
    ),
    "orders:review_sign:production": Action(
        "review_open", frozenset({"prodmgr"}), _sign("production")
    ),
    "orders:review_sign:quality": Action(
        "review_open",
        frozenset({"qcmgr"}),
        _sign("quality"),
        "qc1 inspects but is not the quality department's reviewer",
    ),
    "orders:review_sign:purchasing": Action(
        "review_open", frozenset({"purchasing"}), _sign("purchasing")
    ),
    "orders:review_conclude": Action(
        "review_signed",
        frozenset({"prodmgr"}),
        lambda o, u: (
            _at(o, "review/conclude/"),
            {"version": o.version, "conclusion": "accept"},
        ),
    ),
    "orders:approve": Action(
        "approval",
        frozenset({"gm"}),
        lambda o, u: (
            _at(o, "approve/"),
            {"version": o.version, "decision": "approve", "comment": "同意"},
        ),
    ),
    "orders:quote_create": Action(
        "quote",
        frozenset({"sales2"}),
        lambda o, u: (
            _at(o, "quotes/new/"),
            {
                "form_token": "",
                "prices_include_tax": "on",
                "vat_percent": "13",
                "discount_percent": "0",
                "lead_time_days": "20",
                "payment_terms": "月结60天",
                "valid_until": (TODAY() + timedelta(days=10)).isoformat(),
                "note": "",
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "0",
                "lines-MIN_NUM_FORMS": "1",
                "lines-MAX_NUM_FORMS": "200",
                "lines-0-model_code": "GB-D1060",
                "lines-0-spec": "",
                "lines-0-quantity": "1000",
                "lines-0-unit": "片",
                "lines-0-unit_price": "3.80",
            },
        ),
    ),
    "orders:quote_submit": Action(
        "quote_draft",
        frozenset({"sales2"}),
        lambda o, u: (_at(o, "quotes/1/submit/"), {}),
    ),
    "orders:quote_decide": Action(
        "quote_submitted",
        frozenset({"gm"}),
        lambda o, u: (_at(o, "quotes/1/decide/"), {"decision": "approve"}),
    ),
    "orders:quote_accept": Action(
        "quote_approved",
        frozenset({"sales1", "sales2"}),
        lambda o, u: (
            _at(o, "quotes/1/accept/"),
            {"accepted_on": TODAY().isoformat(), "how": "email"},
        ),
        "the quoter handles the quotes of every order",
    ),
    "orders:contract_record": Action(
        "contract",
        frozenset({"sales1"}),
        lambda o, u: (
            _at(o, "contract/"),
            {
                "form_token": "",
                "number": f"HT-X-{o.number}",
                "signed_on": TODAY().isoformat(),
                "amount": str(o.quotes.get().gross_amount),
                "amount_reason": "",
                "file": _pdf("合同.pdf"),
            },
        ),
    ),
    "orders:drawing_upload": Action(
        "drawing",
        frozenset({"techmgr"}),
        lambda o, u: (
            _at(o, "drawings/upload/"),
            {"title": "总图", "note": "", "file": _pdf("总图.pdf")},
        ),
    ),
    "orders:requirements_write": Action(
        "drawing",
        frozenset({"techmgr"}),
        lambda o, u: (
            _at(o, "drawings/requirements/"),
            {"quality": "平面度≤0.1", "process": "去毛刺"},
        ),
    ),
    "orders:drawings_issue": Action(
        "drawing_ready",
        frozenset({"techmgr"}),
        lambda o, u: (_at(o, "drawings/issue/"), {}),
    ),
    "orders:drawings_recall": Action(
        "production",
        frozenset({"techmgr"}),
        lambda o, u: (_at(o, "drawings/recall/"), {"reason": "尺寸有误"}),
    ),
    "orders:delegations": Action(
        "draft",
        frozenset({"gm"}),
        lambda o, u: (
            "/orders/approvals/stand-ins/",
            {
                "form_token": "",
                "delegate": u["prodmgr"].pk,
                "starts_on": TODAY().isoformat(),
                "ends_on": (TODAY() + timedelta(days=7)).isoformat(),
                "reason": "出差",
            },
        ),
    ),
    # --- production: purchasing records materials; only the planner plans; a lead
    # acts on their own workshop's slips; the distribution list signs for plans.
    "production:materials": Action(
        "production",
        frozenset({"purchasing"}),
        lambda o, u: (
            f"/production/orders/{o.number}/materials/",
            materials_post(
                o, steel(expected_date=(TODAY() + timedelta(days=3)).isoformat())
            ),
        ),
    ),
    "production:plan_create": Action(
        "materials_ready",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/orders/{o.number}/plans/new/",
            {
                "form_token": "",
                "line": o.lines.get().pk,
                "batch_number": "",
                "model_code": "",
                "maker": "",
                "thickness": "6.0",
                "quantity": "500",
                "planned_start": TODAY().isoformat(),
                "planned_finish": (TODAY() + timedelta(days=10)).isoformat(),
                "notes": "",
            },
        ),
    ),
    "production:slip_create": Action(
        "plan_draft",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/plans/{plan_of(o).number}/slips/new/",
            {
                "form_token": "",
                "workshop": Department.objects.get(code="line").pk,
                "operation": "welding",
                "quantity": "100",
                "start_date": "",
                "due_date": (TODAY() + timedelta(days=8)).isoformat(),
                "notes": "",
            },
        ),
    ),
    "production:plan_edit": Action(
        "plan_draft",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/plans/{plan_of(o).number}/edit/",
            {
                "form_token": "",
                "version": str(plan_of(o).version),
                "line": o.lines.get().pk,
                "prefilled_line": o.lines.get().pk,
                "batch_number": "",
                "model_code": "",
                "maker": "",
                "thickness": "6.0",
                "quantity": "1000",
                "planned_start": TODAY().isoformat(),
                "planned_finish": (TODAY() + timedelta(days=25)).isoformat(),
                "notes": "改期",
            },
        ),
        "a draft plan is edited by the planner until it is submitted",
    ),
    "production:plan_delete": Action(
        "plan_draft",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/plans/{plan_of(o).number}/delete/",
            {"version": str(plan_of(o).version), "reason": "重新计划"},
        ),
    ),
    "production:plan_slips_from_routing": Action(
        "plan_empty",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/plans/{plan_of(o).number}/slips/from-routing/",
            {"form_token": "", "anchor": "finish"},
        ),
        "the planner makes a draft's slips from the product's routing",
    ),
    "production:slip_edit": Action(
        "plan_draft",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/slips/{slip_of(o, 'line').number}/edit/",
            {
                "form_token": "",
                "version": str(slip_of(o, "line").version),
                "workshop": Department.objects.get(code="line").pk,
                "operation": "forming",
                "quantity": "1000",
                "start_date": "",
                "due_date": (TODAY() + timedelta(days=16)).isoformat(),
                "predecessors": [slip_of(o, "cutting").pk],
                "notes": "",
            },
        ),
        "a slip of a draft plan is adjusted by the planner",
    ),
    "production:slip_remove": Action(
        "plan_draft",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/slips/{slip_of(o, 'maintenance').number}/remove/",
            {},
        ),
    ),
    "production:routing": Action(
        "draft",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/routings/{_product().model_code}/",
            {
                "version": "",
                "notes": "",
                "steps-TOTAL_FORMS": "1",
                "steps-INITIAL_FORMS": "0",
                "steps-MIN_NUM_FORMS": "0",
                "steps-MAX_NUM_FORMS": "30",
                "steps-0-operation": "cutting",
                "steps-0-workshop": Department.objects.get(code="cutting").pk,
                "steps-0-days": "2",
                "steps-0-first_article_check": "on",
                "steps-0-notes": "",
            },
        ),
        "工艺路线: kept by the planner (and in the admin)",
    ),
    "production:plan_submit": Action(
        "plan_draft",
        frozenset({"planner"}),
        lambda o, u: (f"/production/plans/{plan_of(o).number}/submit/", {}),
        "编制: the planner submits the plan for review",
    ),
    "production:plan_issue": Action(
        "plan_submitted",
        frozenset({"prodmgr"}),
        lambda o, u: (f"/production/plans/{plan_of(o).number}/issue/", {}),
        "审核: the production manager reviews and issues it, never the planner",
    ),
    "production:plan_return": Action(
        "plan_submitted",
        frozenset({"prodmgr"}),
        lambda o, u: (
            f"/production/plans/{plan_of(o).number}/return/",
            {"version": str(plan_of(o).version), "reason": "成型工期太紧"},
        ),
    ),
    "production:plan_close": Action(
        "plan_issued",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/plans/{plan_of(o).number}/close/",
            {"reason": "客户改型，重新计划"},
        ),
    ),
    "production:plan_receive": Action(
        "plan_issued",
        frozenset(
            {"qcmgr", "qc1", "techmgr", "lead_cutting", "lead_line1", "lead_maint"}
        ),
        lambda o, u: (f"/production/plans/{plan_of(o).number}/receive/", {}),
        "the plan's distribution list: QC, technical, cutting, maintenance, line",
    ),
    "production:slip_start": Action(
        "plan_issued",
        frozenset({"lead_cutting"}),
        lambda o, u: (f"/production/slips/{slip_of(o, 'cutting').number}/start/", {}),
        "another workshop's lead does not even see the slip (404)",
    ),
    "production:slip_report": Action(
        "slip_started",
        frozenset({"lead_cutting"}),
        lambda o, u: (
            f"/production/slips/{slip_of(o, 'cutting').number}/report/",
            {"token": str(uuid.uuid4()), "good": "100", "scrap": "2"},
        ),
    ),
    "production:slip_report_reverse": Action(
        "slip_anomaly",
        frozenset({"lead_cutting", "planner"}),
        lambda o, u: (
            f"/production/slips/{slip_of(o, 'cutting').number}/reverse/",
            {"report": str(_anomaly(o).pk), "why": "wrong_count", "note": ""},
        ),
        "报工撤回: the lead who made the report (within the correction window), the "
        "planner at any time; another lead does not see the slip (404)",
    ),
    "production:slip_close": Action(
        "plan_issued",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/slips/{slip_of(o, 'maintenance').number}/close/",
            {"reason": "模具已外修"},
        ),
    ),
    # a short slip (990 good, 10 scrapped of 1000): the planner makes it up or
    # closes the shortfall
    "production:slip_make_up": Action(
        "slip_short",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/slips/{slip_of(o, 'cutting').number}/make-up/",
            {
                "quantity": "10",
                "due_date": (TODAY() + timedelta(days=3)).isoformat(),
            },
        ),
    ),
    "production:slip_shortfall_close": Action(
        "slip_short",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/slips/{slip_of(o, 'cutting').number}/shortfall/close/",
            {"reason": "余料足够，不再补派"},
        ),
    ),
    "production:slip_early_start": Action(
        "plan_issued",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/slips/{slip_of(o, 'line').number}/early-start/",
            {"reason": "先用库存料试产"},
        ),
    ),
    "production:anomaly_handle": Action(
        "slip_anomaly",
        frozenset({"planner", "prodmgr"}),
        lambda o, u: (
            f"/production/anomalies/{_anomaly(o).pk}/handle/",
            {"note": "已联系设备科抢修"},
        ),
        "the planner and the production manager hear of anomalies",
    ),
    "production:plan_change_create": Action(
        "plan_issued",
        frozenset({"planner"}),
        lambda o, u: (
            f"/production/plans/{plan_of(o).number}/changes/new/",
            _plan_change_form(o),
        ),
        "only the planner changes a plan (计划更改单)",
    ),
    "production:plan_change_approve": Action(
        "plan_change_raised",
        frozenset({"prodmgr"}),
        lambda o, u: (
            f"/production/plan-changes/{_plan_change(o).number}/approve/",
            {"version": str(_plan_change(o).version), "form_token": ""},
        ),
        "生产部批准: the production manager",
    ),
    "production:plan_change_reject": Action(
        "plan_change_raised",
        frozenset({"prodmgr"}),
        lambda o, u: (
            f"/production/plan-changes/{_plan_change(o).number}/reject/",
            {"version": str(_plan_change(o).version), "reason": "交期不能再推"},
        ),
    ),
    "production:screen_link_create": Action(
        "draft",
        frozenset({"planner", "admin"}),
        lambda o, u: (
            "/production/screen-links/new/",
            {
                "form_token": "",
                "workshop": Department.objects.get(code="cutting").pk,
                "label": "东墙",
            },
        ),
        "the wall TVs' links: the planner, and the system administrator",
    ),
    "production:screen_link_revoke": Action(
        "draft",
        frozenset({"planner", "admin"}),
        lambda o, u: (
            f"/production/screen-links/{_screen_link(u).pk}/revoke/",
            {"reason": "链接外泄"},
        ),
    ),
    # --- imports: who may enter orders may import them (sales); the preview is
    # confirmed by who uploaded it alone
    "imports:start": Action(
        "draft",
        frozenset({"sales1", "sales2"}),
        lambda o, u: ("/imports/", {"kind": "orders", "file": _order_sheet(o)}),
    ),
    "imports:confirm": Action(
        "draft",
        frozenset({"sales1"}),
        lambda o, u: (
            f"/imports/{_previewed(o, u).pk}/confirm/",
            {"version": _previewed(o, u).version},
        ),
        "an import is its uploader's",
    ),
    "orders:delegations:revoke": Action(
        "draft",
        frozenset({"gm"}),
        lambda o, u: (
            "/orders/approvals/stand-ins/",
            {"revoke": _gm_delegation(u).pk},
        ),
    ),
    # --- quality: only QC inspects, corrects, describes a nonconformance and
    # releases the order; only the reviewers named sign; the planner makes the
    # rework slip; only the quality manager (head of
    # 质量部) records the customer's consent to a concession.
    "quality:inspect": Action(
        "inspection",
        frozenset({"qc1", "qcmgr"}),
        lambda o, u: (
            f"/quality/orders/{o.number}/inspect/",
            {
                "line": o.lines.get().pk,
                "inspected": "10",
                "passed": "10",
                "failed": "0",
                "form_token": str(uuid.uuid4()),
            },
        ),
    ),
    "quality:inspect_slip": Action(
        "process_check",
        frozenset({"qc1", "qcmgr"}),
        lambda o, u: (
            f"/quality/slips/{slip_of(o, 'line').number}/inspect/",
            {"inspected": "5", "passed": "5", "failed": "0"},
        ),
        "the line's forming slip: its routing step asks for a process check",
    ),
    "quality:inspection_correct": Action(
        "inspected_failed",
        frozenset({"qc1", "qcmgr"}),
        lambda o, u: (
            f"/quality/inspections/{Inspection.objects.filter(order=o).latest('id').number}/correct/",
            {
                "inspected": "1000",
                "passed": "995",
                "failed": "5",
                "defects": ["burr"],
                "reason": "复核计数",
            },
        ),
    ),
    "quality:nonconformance_submit": Action(
        "inspected_failed",
        frozenset({"qc1", "qcmgr"}),
        lambda o, u: (
            f"/quality/nonconformances/{_nc(o).number}/submit/",
            {
                "version": _nc(o).version,
                "description": "毛刺超标",
                "cause": "quality",
                "responsible_department": Department.objects.get(code="line").pk,
                "reviewers": [u["qcmgr"].pk, u["prodmgr"].pk],
                "rework": "10",
                "scrap": "0",
                "concession": "0",
            },
        ),
    ),
    "quality:nonconformance_sign": Action(
        "nc_review",
        frozenset({"qcmgr", "prodmgr"}),
        lambda o, u: (
            f"/quality/nonconformances/{_nc(o).number}/sign/",
            {"version": _nc(o).version, "opinion": "同意"},
        ),
        "the reviewers named on it, no one else",
    ),
    "quality:nonconformance_rework": Action(
        "nc_rework",
        frozenset({"planner"}),
        lambda o, u: (
            f"/quality/nonconformances/{_nc(o).number}/rework/",
            {
                "version": _nc(o).version,
                "workshop": Department.objects.get(code="line").pk,
                "operation": "forming",
                "due_date": (TODAY() + timedelta(days=3)).isoformat(),
            },
        ),
    ),
    "quality:nonconformance_consent": Action(
        "nc_concession",
        frozenset({"qcmgr"}),
        lambda o, u: (
            f"/quality/nonconformances/{_nc(o).number}/consent/",
            {
                "version": _nc(o).version,
                "note": "客户书面同意让步接收",
                "documents": _pdf("让步接收.pdf"),
            },
        ),
        "the quality manager: qcmgr heads 质量部",
    ),
    "quality:order_pass": Action(
        "inspection_passed_ready",
        frozenset({"qc1", "qcmgr"}),
        lambda o, u: (
            f"/quality/orders/{o.number}/pass/",
            {"version": o.version, "form_token": str(uuid.uuid4())},
        ),
    ),
    # --- delivery: only the warehouse (仓管) receives into stock, ships, records
    # the customer's receipt (回单) and closes a shortfall the customer agreed to;
    # only the order's own salesperson records a date the customer agreed to
    "delivery:receive": Action(
        "in_delivery",
        frozenset({"warehouse"}),
        lambda o, u: (
            f"/delivery/orders/{o.number}/receive/",
            _delivery_form(o, received_on=TODAY().isoformat(), location="A-01"),
        ),
    ),
    "delivery:ship": Action(
        "in_stock",
        frozenset({"warehouse"}),
        lambda o, u: (
            f"/delivery/orders/{o.number}/ship/",
            _delivery_form(
                o,
                ship_date=TODAY().isoformat(),
                carrier="顺丰物流",
                tracking_number="SF100200300",
                address="浙江省瑞安市塘下镇工业区1号",
            ),
        ),
    ),
    "delivery:receipt": Action(
        "shipped",
        frozenset({"warehouse"}),
        lambda o, u: (
            f"/delivery/shipments/{_shipment(o).number}/receipt/",
            {
                "form_token": str(uuid.uuid4()),
                "version": str(_shipment(o).version),
                "signed_by": "李收货",
                "signed_on": TODAY().isoformat(),
            },
        ),
    ),
    "delivery:shortfall": Action(
        "received_short",
        frozenset({"warehouse"}),
        lambda o, u: (
            f"/delivery/orders/{o.number}/shortfall/",
            {
                "form_token": str(uuid.uuid4()),
                "version": str(o.version),
                "line": str(o.lines.get().pk),
                "reason": "客户同意少交10片",
                "agreed_by": "王经理",
            },
        ),
    ),
    "delivery:date_agree": Action(
        "production",
        frozenset({"sales1"}),
        lambda o, u: (
            f"/delivery/orders/{o.number}/date/",
            {
                "form_token": str(uuid.uuid4()),
                "version": str(o.version),
                "new_date": (o.promised_date + timedelta(days=10)).isoformat(),
                "agreed_by": "王经理",
                "agreed_on": TODAY().isoformat(),
                "reason": "钢材到货延迟，客户同意顺延",
            },
        ),
        "the order's own salesperson, not sales2 nor the production manager",
    ),
}


def _delivery_form(order, **fields) -> dict:
    """A delivery form with the order's version, a fresh token and 100 of its
    line."""
    return {
        "form_token": str(uuid.uuid4()),
        "version": str(order.version),
        f"qty_{order.lines.get().pk}": "100",
        **fields,
    }


def _shipment(order):
    return Shipment.objects.filter(order=order).latest("id")


# Pages that only show (every one of them checks who may see the order or the
# register), and pages outside the orders' walk with their own tests.
READ_ONLY = {
    "home",
    "healthz",
    "orders:list",
    "orders:detail",
    "orders:review",
    "orders:review_print",
    "orders:quote_print",
    "orders:attachment",
    "orders:contract_file",
    "orders:drawing_file",
    "orders:contracts",
    "orders:customer_autocomplete",
    "orders:product_autocomplete",
    "orders:salesperson_autocomplete",
    "orders:staff_autocomplete",
    "notifications:inbox",
    "notifications:bell",
    "nav_badges",
    # a POST that only computes the line totals of the form being typed
    "orders:lines_preview",
    # the order page's earlier history and further lines (htmx), for who sees it
    "orders:history_earlier",
    "orders:lines_more",
    "production:materials_list",
    # the production manager's and the GM's escalation list (tests/reminders)
    "reminders:escalations",
    "production:plans",
    "production:plan",
    "production:plan_print",
    "production:slips",
    "production:slip",
    "production:slip_print",
    # the order's issued drawing, opened from the slip by who sees the slip, and
    # an anomaly's photos (tests/production/test_phone_card.py)
    "production:slip_drawing",
    "production:report_photo",
    "production:report_photo_thumbnail",
    "production:plan_changes",
    "production:plan_change",
    "production:plan_change_print",
    "production:plan_slips_print",
    # the wall TV links' page (tests/production/test_screen_links.py)
    "production:screen_links",
    # the routings (工艺路线) of the catalogue, read by production's readers
    "production:routings",
    # the plan board and the shop-floor screen with its polled partial
    # (tests/production/test_board.py)
    "production:board",
    "production:screen",
    "production:screen_live",
    # quality's pages that only show, to quality's readers (tests/quality/)
    "quality:workbench",
    "quality:inspection",
    "quality:photo",
    "quality:consent_document",
    "quality:nonconformance",
    "quality:nonconformance_print",
    "quality:order_report",
    # delivery's pages that only show, to who may see the order's shipments
    # (tests/delivery/): the warehouse's workbench, the shipments, the printed
    # 送货单 and certificate, the scanned 回单 and a date agreement's document
    "delivery:warehouse",
    "delivery:shipments",
    "delivery:shipment",
    "delivery:shipment_print",
    "delivery:certificate",
    "delivery:receipt_scan",
    "delivery:agreement_file",
}
EXEMPT = {
    # the user's own session and language (tests/test_browser_signin.py, lockout)
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "set_language",
    # every user, on their own notices only (tests/test_notifications.py)
    "notifications:open",
    "notifications:read_all",
    # the wall TV's screen from its link, no one signed in: only shows
    # (tests/production/test_screen_links.py)
    "production:wall",
    "production:wall_live",
    # every user, on their own reminder e-mails only (tests/reminders/test_pages.py)
    "reminders:preferences",
}
READ_ONLY |= {
    # an import's page, its progress (htmx), the templates and the catalogue's
    # export, each for whom it is (tests/imports/test_pages.py)
    "imports:log",
    "imports:progress",
    "imports:template",
    "imports:export",
}
# One URL, several actions: the move buttons and the two change deciders.
URL_OF = {name: name.split(":")[0] + ":" + name.split(":")[1] for name in ACTIONS}


def _nc(order):
    return Nonconformance.objects.filter(order=order).latest("id")


def _gm_delegation(users):
    return ApprovalDelegation.objects.get_or_create(
        principal=users["gm"],
        delegate=users["prodmgr"],
        defaults={
            "starts_on": TODAY(),
            "ends_on": TODAY() + timedelta(days=3),
            "reason": "出差",
        },
    )[0]


def _screen_link(users):
    """A live wall TV link (the same one until it is revoked)."""
    link = ScreenLink.objects.filter(revoked_at__isnull=True).first()
    if link is None:
        link = ScreenLink.objects.create(
            workshop=Department.objects.get(code="cutting"),
            token_hash=ScreenLink.hash_token(str(uuid.uuid4())),
            created_by=users["planner"],
        )
    return link


def _product():
    from orders.models import Product

    return Product.objects.get_or_create(
        model_code="GB-R0001",
        defaults={"name": "钢背", "kind": "backplate", "unit_price": "3.80"},
    )[0]


def _plan_change(order):
    return PlanChange.objects.filter(plan__order=order).latest("id")


def _plan_change_form(order, **changes) -> dict:
    """The plan change form as the planner posts it: every value as shown, the
    line's slip moved three days later and cut to 900 (or `changes`)."""
    plan = plan_of(order)
    data = {
        "form_token": "",
        "version": str(plan.version),
        "reason": "客户要求分批交货",
        "plan_model_code": plan.model_code,
        "plan_quantity": str(plan.quantity),
        "plan_planned_start": plan.planned_start.isoformat(),
        "plan_planned_finish": plan.planned_finish.isoformat(),
    }
    for slip in plan.slips.filter(status__in=["waiting", "started"]):
        prefix = f"slip_{slip.pk}_"
        data[prefix + "operation"] = slip.operation
        data[prefix + "quantity"] = str(slip.quantity)
        data[prefix + "start_date"] = (
            slip.start_date.isoformat() if slip.start_date else ""
        )
        data[prefix + "due_date"] = slip.due_date.isoformat()
        if slip.workshop.code == "line":
            data[prefix + "quantity"] = "900"
            data[prefix + "due_date"] = (slip.due_date + timedelta(3)).isoformat()
    data.update(changes)
    return data


def _order_sheet(order, name=None):
    """A spreadsheet of one new order for the customer of `order`."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["客户", "客户订单号", "型号", "数量", "单价", "交货日期"])
    book.active.append(
        [
            order.customer.name,
            f"IMP-{order.number}",
            "GB-D1092",
            500,
            3.2,
            TODAY() + timedelta(days=30),
        ]
    )
    stream = io.BytesIO()
    book.save(stream)
    return SimpleUploadedFile(name or f"{order.number}.xlsx", stream.getvalue())


def _previewed(order, users):
    """sales1's previewed import of one order (the same one until confirmed)."""
    from imports import services as imports

    name = f"{order.number}.xlsx"
    log = ImportLog.objects.filter(
        user=users["sales1"], original_name=name, status="previewed"
    ).first()
    if log is None:
        log = imports.import_upload(
            actor=users["sales1"], kind="orders", uploaded=_order_sheet(order, name)
        )
    return log


def _anomaly(order):
    return SlipReport.objects.get(slip__plan__order=order, anomaly=True)


def _url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            names |= _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_is_in_the_matrix():
    """A new URL must say what it is: an action with its allowed users, a read-only
    page, or exempt. The admin keeps its own permissions (tested in its own tests)."""
    names = {n for n in _url_names() if not n.startswith(("admin:", "djdt:"))}
    classified = set(URL_OF.values()) | READ_ONLY | EXEMPT
    assert names - classified == set(), "add these URLs to the action matrix"
    assert classified - names == set(), "these matrix entries name no URL"


MODELS = (
    ImportLog,
    Order,
    OrderEvent,
    OrderAttachment,
    ChangeRequest,
    ContractReview,
    Quote,
    Contract,
    Drawing,
    KeyRequirement,
    Customer,
    ApprovalDelegation,
    FormSubmission,
    MaterialRequirement,
    ProductionPlan,
    DispatchSlip,
    SlipReport,
    PlanReceipt,
    PlanChange,
    ReportReversal,
    ReportPhoto,
    StockReceipt,
    Shipment,
    ShipmentLine,
    CustomerReceipt,
    ShortfallClosure,
    DateAgreement,
    ScreenLink,
    Routing,
    RoutingStep,
    MaterialLine,
    MaterialArrival,
    Inspection,
    InspectionPhoto,
    Nonconformance,
    NonconformanceReview,
    ConsentDocument,
)


def world() -> tuple:
    """Everything an action could write, in one comparable value."""
    counts = tuple(model.objects.count() for model in MODELS)
    orders = tuple(
        Order.objects.order_by("pk").values_list("pk", "stage", "version", "credit")
    )
    rows = tuple(
        ReviewSignoff.objects.order_by("pk").values_list(
            "pk", "signed_at", "days_needed"
        )
    )
    quotes = tuple(Quote.objects.order_by("pk").values_list("pk", "status"))
    changes = tuple(ChangeRequest.objects.order_by("pk").values_list("pk", "status"))
    drawings = tuple(
        Drawing.objects.order_by("pk").values_list("pk", "issued_at", "recalled_at")
    )
    delegations = tuple(
        ApprovalDelegation.objects.order_by("pk").values_list("pk", "revoked_at")
    )
    production = (
        tuple(
            MaterialRequirement.objects.order_by("pk").values_list(
                "pk", "status", "version"
            )
        ),
        tuple(
            ProductionPlan.objects.order_by("pk").values_list("pk", "status", "version")
        ),
        tuple(
            DispatchSlip.objects.order_by("pk").values_list(
                "pk",
                "status",
                "good_qty",
                "scrap_qty",
                "override_at",
                "shortfall_closed_qty",
                "version",
            )
        ),
        tuple(SlipReport.objects.order_by("pk").values_list("pk", "handled_at")),
        tuple(
            DispatchSlip.objects.order_by("pk").values_list(
                "pk", "quantity", "due_date", "committed_due_date"
            )
        ),
        tuple(
            ProductionPlan.objects.order_by("pk").values_list(
                "pk", "quantity", "planned_finish", "version"
            )
        ),
        tuple(PlanChange.objects.order_by("pk").values_list("pk", "status")),
        tuple(ScreenLink.objects.order_by("pk").values_list("pk", "revoked_at")),
        tuple(Routing.objects.order_by("pk").values_list("pk", "version")),
    )
    quality = (
        tuple(
            Nonconformance.objects.order_by("pk").values_list(
                "pk", "status", "version", "consent_at", "rework_slip_id"
            )
        ),
        tuple(
            NonconformanceReview.objects.order_by("pk").values_list("pk", "signed_at")
        ),
    )
    return (
        counts,
        orders,
        rows,
        quotes,
        changes,
        drawings,
        delegations,
        production,
        quality,
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def test_the_demo_users_are_the_ones_the_matrix_names(users):
    assert set(users) == set(DEMO)


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_only_the_listed_users_may_do_it(name, users):
    action = ACTIONS[name]
    assert action.allowed <= set(DEMO), name

    # given an order of sales1 in the action's situation
    order = walk(users, action.situation)
    path, data = action.request(order, users)
    before = world()
    # when each user who is not listed posts the action
    for username in sorted(set(DEMO) - action.allowed):
        path, data = action.request(order, users)
        response = client_for(users[username]).post(path, data)
        # then they are refused and nothing anywhere changed
        assert response.status_code in (403, 404), (name, username, response)
        assert world() == before, (name, username)

    # when each listed user does it, in the same situation
    for username in sorted(action.allowed):
        order = walk(users, action.situation)
        path, data = action.request(order, users)
        before = world()
        response = client_for(users[username]).post(path, data)
        # then it is done: no refusal, and something was written
        assert response.status_code in (200, 302), (name, username, response)
        assert world() != before, (name, username, _messages(response))


def _messages(response) -> list[str]:
    storage = getattr(response, "wsgi_request", None)
    if storage is None:
        return []
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


# --- history lines by reader ------------------------------------------------------------
# A line of the order's history reads as much of its subject as the subject itself
# shows. Who may open sales1's order (everyone but the workshop leads, who work from
# their slips), and who of them may read each guarded kind of line, written by hand
# from the roles: a plan change (计划更改单) is production's — the planner, the
# production manager and production's readers (GM, chairman, technical, QC) — and
# the salesperson's whose order it is; not sales2's, finance's, the warehouse's,
# after-sales', purchasing's or the system administrator's.
ORDER_READERS = set(DEMO) - {"lead_cutting", "lead_line1", "lead_maint"}
HISTORY_READERS = {
    "plan_change": {
        "sales1",
        "planner",
        "prodmgr",
        "gm",
        "chairman",
        "techmgr",
        "qcmgr",
        "qc1",
    },
}


def _whole_history(client, order) -> str:
    """The order page and every earlier-history partial after it, as one text."""
    import re

    page = client.get(order.get_absolute_url())
    if page.status_code != 200:
        return ""
    html = page.content.decode()
    text = html
    while True:
        found = re.search(r"/history/\?before=(\d+)", html)
        if found is None:
            return text
        html = client.get(
            f"/orders/{order.number}/history/?before={found.group(1)}"
        ).content.decode()
        text += html


def test_history_lines_are_read_only_by_who_may_read_their_subject(users, settings):
    from production import services as production

    # given sales1's order with one plan change applied and another waiting, and a
    # history longer than the page's first window
    settings.ORDER_PAGE_EVENTS = 3
    order = walk(users, "plan_change_raised")
    applied = _plan_change(order)
    production.plan_change_approve(actor=users["prodmgr"], change=applied)
    waiting = production.plan_change_raise(
        actor=users["planner"],
        plan=plan_of(order),
        reason="再次调整",
        plan_values={},
        slip_values={slip_of(order, "cutting").pk: {"quantity": 990}},
    )
    assert order.events.filter(type__startswith="plan_change").count() == 3
    for username in DEMO:
        client = client_for(users[username])
        # when each demo user reads the order's whole history
        text = _whole_history(client, order)
        # then who may not open the order gets nothing, and of the others only
        # the plan change's readers read its lines
        if username not in ORDER_READERS:
            assert client.get(order.get_absolute_url()).status_code == 404, username
            continue
        assert order.number in text, username
        shown = applied.number in text and waiting.number in text
        seen_by = HISTORY_READERS["plan_change"]
        assert shown == (username in seen_by), (username, shown)
        assert ("计划更改单" in text) == (username in seen_by), username
