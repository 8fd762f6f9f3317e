"""The warehouse's walk in a real browser, from 交付: `warehouse` receives the
passed goods into stock, ships them in two lots, prints the 送货单 — Chromium's
own PDF is four half-A4 pages (210 × 148 mm: 存根, 客户, 回单, 财务) whose QR code
opens the shipment — and records the customer's signed receipt of each lot; the
order moves to 开票收款, finance is told, and every step names its person in the
history. The PDF and pictures are kept under ARTIFACTS_DIR."""

import re

import pytest
import zxingcpp
from PIL import Image

from accounts.demo import seed_company
from delivery.models import Shipment
from notifications.models import Notification
from orders.stages import Stage
from tests.conftest import ARTIFACTS_DIR
from tests.delivery.walk import into_delivery

pytestmark = pytest.mark.browser

PT_PER_MM = 72 / 25.4


def sign_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-test=roles]")


def pdf_page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's MediaBox, in millimetres."""
    boxes = re.findall(
        rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf
    )
    return [
        (
            round((float(x2) - float(x1)) / PT_PER_MM),
            round((float(y2) - float(y1)) / PT_PER_MM),
        )
        for x1, y1, x2, y2 in boxes
    ]


def ship_lot(page, order, quantity, tracking):
    page.goto(f"/delivery/orders/{order.number}/ship/")
    page.fill("[data-test=qty-1]", str(quantity))
    page.fill("#id_carrier", "顺丰物流")
    page.fill("#id_tracking_number", tracking)
    # the address goes on each shipment (the test's customer has none on file)
    page.fill("#id_address", "浙江省瑞安市塘下镇工业区1号 2号仓")
    page.click("[data-test=ship-save]")
    page.wait_for_selector("[data-test=shipment-status]")
    return Shipment.objects.get(tracking_number=tracking)


def record_receipt(page, shipment):
    page.goto(shipment.get_absolute_url())
    page.click("[data-test=record-receipt]")
    page.fill("#id_signed_by", "万达仓库 张收货")
    page.click("[data-test=receipt-save]")
    page.wait_for_selector("[data-test=customer-receipt]")


def test_the_warehouse_receives_ships_two_lots_prints_and_records_receipts(
    page, demo_users, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    seed_company()
    # given an order of 1,000 pieces that quality passed and released to 交付
    order = into_delivery(demo_users)
    assert order.stage == Stage.DELIVERY

    # when the warehouse finds it on its workbench and receives it into stock
    sign_in(page, "warehouse")
    page.goto("/delivery/")
    row = page.locator(f"[data-test=to-receive] [data-order='{order.number}']")
    row.locator("[data-test=receive-link]").click()
    page.fill("[data-test=qty-1]", "1000")
    page.fill("#id_location", "成品库A-01")
    page.click("[data-test=receive-save]")
    page.wait_for_selector("[data-test=delivery-panel]")

    # and ships it in two lots, each with its own 送货单
    first = ship_lot(page, order, 600, "SF1000000001")
    second = ship_lot(page, order, 400, "SF1000000002")
    assert first.number != second.number

    # and prints the first lot's 送货单
    page.goto(first.get_absolute_url())
    page.click("[data-test=print-note]")
    page.wait_for_selector("[data-test=note-copy]")
    copies = page.locator("[data-test=note-copy-name]").all_inner_texts()
    assert [c.split("：")[-1] for c in copies] == ["存根", "客户", "回单", "财务"]
    page.screenshot(path=str(ARTIFACTS_DIR / "delivery-note.png"), full_page=True)
    qr = ARTIFACTS_DIR / "delivery-note-qr.png"
    page.locator("[data-test=note-qr] svg").first.screenshot(path=str(qr))
    found = zxingcpp.read_barcodes(Image.open(qr))
    assert found and found[0].text.endswith(f"/delivery/shipments/{first.number}/")

    # then Chromium's PDF is four pages of half an A4 sheet, one copy each
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS_DIR / "delivery-note.pdf").write_bytes(pdf)
    sizes = pdf_page_sizes(pdf)
    assert sizes == [(210, 148)] * 4, sizes
    page.emulate_media(media="screen")

    # when the customer's signed receipts of both lots are recorded
    record_receipt(page, first)
    order.refresh_from_db()
    assert order.stage == Stage.DELIVERY
    record_receipt(page, second)

    # then the order moved on to 开票收款 and finance is told
    order.refresh_from_db()
    assert order.stage == Stage.SETTLEMENT
    assert Notification.objects.filter(
        user=demo_users["finance"], kind="delivered"
    ).exists()
    # and every step names its person in the history
    page.goto(order.get_absolute_url())
    page.screenshot(path=str(ARTIFACTS_DIR / "delivery-order.png"), full_page=True)
    steps = list(
        order.events.filter(
            type__in=("stock_received", "shipped", "customer_received", "moved")
        )
        .order_by("id")
        .values_list("type", "user__username")
    )
    assert steps[-6:] == [
        ("stock_received", "warehouse"),
        ("shipped", "warehouse"),
        ("shipped", "warehouse"),
        ("customer_received", "warehouse"),
        ("customer_received", "warehouse"),
        ("moved", "warehouse"),
    ]
