"""The shop-floor screen (车间看板) on a 1920 × 1080 wall TV, in a real browser, opened
from its link in a fresh browser that nobody signs in to: the planner makes the link
on their own screen; the TV shows its own workshop only — slips with their state and
customer — with no navigation, and refreshes itself: a report made on a phone after
the screen was opened appears at the next poll without a reload and without anyone
touching the TV. Revoked, the link stops working at the TV's next poll. The poll
runs every second here (the setting; 30 s on the wall). Screenshots are kept under
ARTIFACTS_DIR."""

import uuid

import pytest
from playwright.sync_api import expect

from production import services
from tests.conftest import ARTIFACTS_DIR
from tests.walk import slip_of, walk

pytestmark = pytest.mark.browser

TV = {"width": 1920, "height": 1080}


def test_the_wall_tv_opens_from_its_link_refreshes_and_stops_when_revoked(
    browser, demo_users, live_server, settings
):
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    settings.PRODUCTION_SCREEN_POLL_SECONDS = 1
    users = demo_users
    # given an issued plan whose cutting slip is started, nothing reported yet
    order = walk(users, "slip_started")
    cutting, line = slip_of(order, "cutting"), slip_of(order, "line")

    # the planner makes a link for the cutting workshop's TV
    office = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url
    )
    planner = office.new_page()
    planner.set_default_timeout(15_000)
    planner.goto("/login/")
    planner.fill("#id_username", "planner")
    planner.fill("#id_password", "demo1234")
    planner.click("button[type=submit]")
    planner.goto("/production/board/")
    planner.click("[data-test=screen-links]")
    planner.check(f"input[name=workshop][value='{cutting.workshop_id}']")
    planner.fill("input[name=label]", "东墙剪板机旁")
    planner.click("[data-test=make-link-submit]")
    address = planner.locator("[data-test=new-link-url]").input_value()
    planner.screenshot(path=str(ARTIFACTS_DIR / "screen-link-made.png"), full_page=True)

    # when the TV, a fresh browser nobody signs in to, opens the address
    wall = browser.new_context(
        locale="en-US",  # whatever the TV's browser asks for: the product's Chinese
        timezone_id="Asia/Shanghai",
        viewport=TV,
    )
    page = wall.new_page()
    page.set_default_timeout(15_000)
    page.goto(address)

    # then it shows the workshop's screen, with no sign-in and no chrome
    tv = page.locator("[data-test=tv]")
    expect(tv).to_contain_text("下料车间")
    expect(tv).to_contain_text(cutting.number)
    expect(tv).not_to_contain_text(line.number)  # another workshop's slip
    row = page.locator(f"[data-slip='{cutting.number}']")
    expect(row.locator("[data-test=tv-customer]")).to_have_text(order.customer.name)
    expect(row.locator("[data-test=tv-state]")).to_have_text("进行中")
    expect(page.locator("[data-test=tile-load] .tv-label")).to_have_text(
        "今日负荷 / 产能"
    )
    expect(page.locator(".topbar, .mainnav, #id_username")).to_have_count(0)
    expect(page.locator("[data-test=tile-good] .tv-value")).to_have_text("0")
    assert wall.cookies() == [] or all(c["name"] != "sessionid" for c in wall.cookies())
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
    expect(row).to_contain_text("25%")
    assert page.evaluate("window.notReloaded") is True
    expect(tv).not_to_contain_text(line.number)

    # readable from afar: the figures are huge, and nothing runs off the screen
    size = page.locator("[data-test=tile-good] .tv-value").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 80
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= TV["width"]
    page.screenshot(path=str(ARTIFACTS_DIR / "workshop-screen-tv.png"))

    # when the planner revokes the link
    planner.goto("/production/screen-links/")
    planner.click("[data-test=revoke]")
    expect(planner.locator(".messages")).to_contain_text("已收回")

    # then the TV's next poll turns into the plain page, and the address is dead
    expect(page.locator("[data-test=wall-gone]")).to_contain_text("此看板链接已失效")
    expect(page.locator("[data-test=tv]")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS_DIR / "workshop-screen-revoked.png"))
    page.goto(address)
    expect(page.locator("[data-test=wall-gone]")).to_be_visible()
    office.close()
    wall.close()
