"""Drawings: versions kept, key requirements, issue moves the order to production,
recall recorded, only technical may."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orders import services
from orders.exceptions import InvalidMove, PermissionDenied, ValidationError
from orders.models import Drawing, Order
from tests.orders.conftest import EXE, PDF


def pdf(name="总图.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def test_versions_requirements_issue_recall_and_reissue(order_at_drawing, people):
    tech = people["techmgr"]
    services.drawing_upload(
        actor=tech, order=order_at_drawing, title="总图", uploaded=pdf()
    )
    services.drawing_upload(
        actor=tech,
        order=order_at_drawing,
        title="总图",
        uploaded=pdf("总图B.pdf"),
        note="改孔位",
    )
    assert list(order_at_drawing.drawings.values_list("version", flat=True)) == [2, 1]

    with pytest.raises(ValidationError):
        services.drawings_issue(actor=tech, order=order_at_drawing)  # no requirements
    services.requirements_write(
        actor=tech,
        order=order_at_drawing,
        quality=["平面度≤0.15", " ", "无毛刺"],
        process=["去应力退火"],
    )
    order = services.drawings_issue(actor=tech, order=order_at_drawing)

    assert order.stage == "production"
    assert Drawing.objects.get(order=order, version=2).is_issued
    assert not Drawing.objects.get(order=order, version=1).issued_at
    assert order.key_requirements.filter(kind="quality").count() == 2

    with pytest.raises(ValidationError):
        services.drawings_recall(actor=tech, order=order, reason="")
    services.drawings_recall(actor=tech, order=order, reason="客户改图")
    assert not Drawing.objects.get(order=order, version=2).is_issued
    recalled = order.events.get(type="drawings_recalled")
    assert (recalled.user, recalled.reason) == (tech, "客户改图")

    services.drawing_upload(actor=tech, order=order, title="总图", uploaded=pdf())
    services.drawings_issue(actor=tech, order=order)
    assert order.events.filter(type="drawings_reissued").exists()
    assert Order.objects.get(pk=order.pk).stage == "production"


def test_a_drawing_of_the_wrong_type_is_refused(client, order_at_drawing, people):
    client.force_login(people["techmgr"])

    response = client.post(
        f"/orders/{order_at_drawing.number}/drawings/upload/",
        {"title": "总图", "file": SimpleUploadedFile("总图.pdf", EXE)},
        follow=True,
    )

    assert "不是真正的" in response.content.decode()
    assert not Drawing.objects.exists()


def test_issue_without_a_drawing_is_refused(order_at_drawing, people):
    with pytest.raises(ValidationError):
        services.drawings_issue(actor=people["techmgr"], order=order_at_drawing)
    with pytest.raises(InvalidMove):
        services.drawings_recall(
            actor=people["techmgr"], order=order_at_drawing, reason="x"
        )


def test_only_technical_handles_drawings(client, order_at_drawing, people, make_user):
    for name in ("sales", "prodmgr", "gm"):
        client.force_login(people[name])
        url = f"/orders/{order_at_drawing.number}/drawings/"
        assert (
            client.post(url + "upload/", {"title": "x", "file": pdf()}).status_code
            == 403
        )
        assert client.post(url + "issue/").status_code == 403
        assert client.post(url + "recall/", {"reason": "x"}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.drawing_upload(
                actor=people[name], order=order_at_drawing, title="x", uploaded=pdf()
            )
    assert not Drawing.objects.exists()


def test_drawings_due_queue_shows_the_one_day_clock_red_when_late(
    client, order_at_drawing, people
):
    Order.objects.filter(pk=order_at_drawing.pk).update(
        stage_entered_at=timezone.now() - timedelta(days=10)
    )
    client.force_login(people["techmgr"])

    body = client.get("/").content.decode()

    assert 'data-queue="drawings"' in body
    row = body.split(order_at_drawing.number)[0].rsplit("<tr", 1)[1]
    assert 'class="late"' in row


@pytest.mark.parametrize("versions", [2, 10])
def test_order_page_with_drawing_versions_has_fixed_queries(
    client, order_at_drawing, people, versions, django_assert_max_num_queries
):
    for _ in range(versions):
        services.drawing_upload(
            actor=people["techmgr"],
            order=order_at_drawing,
            title="总图",
            uploaded=pdf(),
        )
    services.requirements_write(
        actor=people["techmgr"],
        order=order_at_drawing,
        quality=[f"要求{i}" for i in range(versions)],
        process=["退火"],
    )
    client.force_login(people["techmgr"])

    with django_assert_max_num_queries(32):
        response = client.get(order_at_drawing.get_absolute_url())

    assert response.content.decode().count("data-drawing=") == versions
