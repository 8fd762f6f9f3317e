"""A person's own reminder e-mails: muted and unmuted by themselves only."""

import pytest
from django.test import Client

from reminders.models import Preference

pytestmark = pytest.mark.django_db


def test_a_person_mutes_their_own_reminder_emails(make_user):
    user = make_user("sales")
    other = make_user("sales")
    client = Client()
    client.force_login(user)
    assert client.get("/reminders/preferences/").status_code == 200
    response = client.post("/reminders/preferences/", {"email_muted": "on"})
    assert response.status_code == 302
    assert Preference.objects.get(user=user).email_muted
    assert not Preference.objects.filter(user=other).exists()
    client.post("/reminders/preferences/", {})
    assert not Preference.objects.get(user=user).email_muted


def test_the_escalation_list_needs_its_permission(make_user):
    client = Client()
    client.force_login(make_user("sales"))
    assert client.get("/reminders/escalations/").status_code == 403
    client.force_login(make_user("general_manager"))
    assert client.get("/reminders/escalations/").status_code == 200
