"""What the workshop lead's phone shows around the report: the order, the customer
and the drawing to work to (which the lead may open), what the limit counts, the
materials they wait for and whom to call, who makes up a shortfall, the anomaly's
photos — and a menu holding only what a lead uses."""

import uuid
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import User
from orders import services as orders
from production import services
from production.models import ReportPhoto, SlipReport
from tests.test_action_matrix import world
from tests.walk import PDF, slip_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRODUCTION_REPORT_PHOTOS = 3
    settings.PRODUCTION_PHOTO_MAX_MB = 1
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def photo(name="现场.jpg", size=(1200, 900), kind="JPEG") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", size, (200, 60, 40)).save(out, kind)
    return SimpleUploadedFile(name, out.getvalue(), f"image/{kind.lower()}")


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_the_card_shows_the_order_the_customer_and_the_drawing(users):
    # given the cutting slip of an order whose drawing v1 is issued
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    lead = signed_in(users["lead_cutting"])
    body = lead.get(slip.get_absolute_url()).content.decode()
    assert order.number in body and order.customer.name in body
    assert 'data-test="drawing-link"' in body and "钢背总图 v1" in body
    # the lead, who does not read orders, opens the drawing from the slip
    assert lead.get(order.get_absolute_url()).status_code in (403, 404)
    response = lead.get(f"/production/slips/{slip.number}/drawing/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # another workshop's lead does not see the slip, nor its drawing
    other = signed_in(users["lead_line1"])
    assert other.get(f"/production/slips/{slip.number}/drawing/").status_code == 404
    # once the drawings are recalled, there is nothing to open
    orders.drawings_recall(actor=users["techmgr"], order=order, reason="尺寸有误")
    assert lead.get(f"/production/slips/{slip.number}/drawing/").status_code == 404
    body = lead.get(slip.get_absolute_url()).content.decode()
    assert 'data-test="drawing-link"' not in body and "未下发" in body


def test_the_limit_says_it_counts_the_slips_total(users):
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    services.slip_report(
        actor=users["lead_cutting"], slip=slip, token=uuid.uuid4(), good=300, scrap=10
    )
    body = signed_in(users["lead_cutting"]).get(slip.get_absolute_url())
    text = body.content.decode()
    # 1000 × 1.05 = 1050 in all, 310 reported: this report at most 740
    assert "本次最多还能报 740 件" in text
    assert "累计最多 1050（已报 310）" in text


def test_materials_not_ready_say_when_and_whom_to_call(users):
    User.objects.filter(username="purchasing").update(phone="13800001111")
    order = walk(users, "plan_issued")
    requirement = order.materials
    requirement.status = "ordered"
    requirement.expected_date = order.order_date
    requirement.save()
    slip = slip_of(order, "cutting")
    body = signed_in(users["lead_cutting"]).get(slip.get_absolute_url())
    text = body.content.decode()
    assert 'data-test="materials-waiting"' in text
    assert f"预计 {order.order_date:%Y-%m-%d} 到货" in text
    assert "陈静" in text and 'href="tel:13800001111"' in text


def test_a_slip_finished_short_names_the_planner_to_call(users):
    User.objects.filter(username="planner").update(phone="13900002222")
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    services.slip_report(
        actor=users["lead_cutting"], slip=slip, token=uuid.uuid4(), good=990, scrap=10
    )
    text = signed_in(users["lead_cutting"]).get(slip.get_absolute_url())
    text = text.content.decode()
    assert 'data-test="shortfall"' in text and "短缺 10 件" in text
    assert "孙磊" in text and 'href="tel:13900002222"' in text


def report_anomaly(client, slip, photos, **data):
    data = {
        "token": str(uuid.uuid4()),
        "anomaly": "on",
        "cause": "quality",
        "note": "毛刺超标",
        "photos": photos,
        **data,
    }
    return client.post(
        f"/production/slips/{slip.number}/report/", data, HTTP_HX_REQUEST="true"
    )


def test_an_anomaly_carries_photos_seen_by_who_sees_the_slip(users, settings):
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    lead = signed_in(users["lead_cutting"])
    response = report_anomaly(lead, slip, [photo("1.jpg"), photo("2.png", kind="PNG")])
    assert response.status_code == 200, response.content.decode()[:2000]
    report = SlipReport.objects.get(slip=slip, anomaly=True)
    photos = list(report.photos.all())
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png"]
    # the card shows them as thumbnails
    assert response.content.decode().count('data-test="photo-thumbnail"') == 2
    # the thumbnail is small, and the planner (on the slip's page) sees them too
    thumb = lead.get(f"/production/photos/{photos[0].pk}/thumbnail/")
    assert thumb["Content-Type"] == "image/jpeg"
    image = Image.open(BytesIO(b"".join(thumb.streaming_content)))
    assert max(image.size) <= 480
    planner = signed_in(users["planner"])
    page = planner.get(slip.get_absolute_url()).content.decode()
    assert f"/production/photos/{photos[1].pk}/thumbnail/" in page
    full = planner.get(f"/production/photos/{photos[1].pk}/")
    assert full.status_code == 200 and full["Content-Type"] == "image/png"
    # another workshop's lead does not see them; sales does not either
    for username in ("lead_line1", "sales1"):
        client = signed_in(users[username])
        assert client.get(f"/production/photos/{photos[0].pk}/").status_code in (
            403,
            404,
        )
        assert client.get(
            f"/production/photos/{photos[0].pk}/thumbnail/"
        ).status_code in (403, 404)


@pytest.mark.parametrize(
    "photos,message",
    [
        (lambda: [SimpleUploadedFile("现场.jpg", PDF, "image/jpeg")], "不是照片"),
        (lambda: [SimpleUploadedFile("现场.jpg", b"", "image/jpeg")], "空文件"),
        (
            lambda: [SimpleUploadedFile("大.jpg", b"\xff\xd8\xff" + b"0" * 1_100_000)],
            "超过上限 1 MB",
        ),
        (lambda: [photo(f"{n}.jpg") for n in range(4)], "最多附 3 张照片"),
        (
            lambda: [SimpleUploadedFile("坏.jpg", b"\xff\xd8\xff\xe0" + b"0" * 400)],
            "不是照片",
        ),
    ],
)
def test_a_bad_photo_is_refused_and_nothing_is_saved(users, settings, photos, message):
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    stored = files_under(Path(settings.MEDIA_ROOT))
    before = world()
    response = report_anomaly(signed_in(users["lead_cutting"]), slip, photos())
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body, body[:2000]
    assert world() == before
    assert not ReportPhoto.objects.exists()
    assert files_under(Path(settings.MEDIA_ROOT)) == stored


def test_photos_go_with_an_anomaly_only(users):
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    before = world()
    response = signed_in(users["lead_cutting"]).post(
        f"/production/slips/{slip.number}/report/",
        {"token": str(uuid.uuid4()), "good": "5", "photos": [photo()]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "照片只能随异常一起上报" in response.content.decode()
    assert world() == before


def test_a_leads_menu_holds_what_a_lead_uses(users):
    body = signed_in(users["lead_cutting"]).get("/production/slips/").content.decode()
    menu = body[body.index('class="mainnav"') : body.index("</nav>")]
    assert 'data-nav="slips"' in menu and 'data-nav="board"' in menu
    for other in ("home", "plans", "orders", "materials"):
        assert f'data-nav="{other}"' not in menu, other
    assert 'data-test="bell"' in body
    # the planner keeps the office's menu
    body = signed_in(users["planner"]).get("/production/slips/").content.decode()
    assert 'data-nav="plans"' in body and 'data-nav="home"' in body
