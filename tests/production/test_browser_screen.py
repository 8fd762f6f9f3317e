"""The shop-floor screen (车间看板) on a 1920 × 1080 wall TV, in a real browser: it
shows its own workshop only, with no navigation, and refreshes itself — a report
made on a phone after the screen was opened appears at the next poll without a
reload and without anyone touching the TV. The poll runs every second here (the
setting; 30 s on the wall). A screenshot is kept under ARTIFACTS_DIR."""

import uuid

import pytest
from playwright.sync_api import expect

from production import services
from tests.conftest import ARTIFACTS_DIR
from tests.walk import slip_of, walk

pytestmark = pytest.mark.browser

TV = {"width": 1920, "height": 1080}


def test_the_wall_screen_refreshes_itself_and_shows_its_workshop_only(
    browser, demo_users, live_server, settings
):
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    settings.PRODUCTION_SCREEN_POLL_SECONDS = 1
    users = demo_users
    # given an issued plan whose cutting slip is started, nothing reported yet
    order = walk(users, "slip_started")
    cutting, line = slip_of(order, "cutting"), slip_of(order, "line")
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=TV,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    # the cutting lead signs the TV in once and opens the workshop's screen
    page.goto("/production/workshops/cutting/screen/")
    page.fill("#id_username", "lead_cutting")
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    tv = page.locator("[data-test=tv]")
    expect(tv).to_contain_text("下料车间")
    expect(tv).to_contain_text(cutting.number)
    expect(tv).not_to_contain_text(line.number)  # another workshop's slip
    expect(page.locator(".topbar, .mainnav")).to_have_count(0)  # no chrome
    expect(page.locator("[data-test=tile-good] .tv-value")).to_have_text("0")
    page.evaluate("window.notReloaded = true")

    # when the lead reports on the phone: 250 good and an anomaly
    services.slip_report(
        actor=users["lead_cutting"],
        slip=cutting,
        token=uuid.uuid4(),
        good=250,
        anomaly=True,
        cause="equipment",
        note="剪板机故障",
    )

    # then the screen shows it at its next poll, without a reload
    expect(page.locator("[data-test=tile-good] .tv-value")).to_have_text("250")
    expect(page.locator("[data-test=tv-anomalies]")).to_contain_text("剪板机故障")
    expect(page.locator(f"[data-slip='{cutting.number}']")).to_contain_text("25%")
    assert page.evaluate("window.notReloaded") is True
    expect(tv).not_to_contain_text(line.number)

    # readable from afar: the figures are huge
    size = page.locator("[data-test=tile-good] .tv-value").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 80
    page.screenshot(path=str(ARTIFACTS_DIR / "workshop-screen-tv.png"))
    context.close()
