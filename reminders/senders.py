"""Sending one outbox row: an e-mail through Django's mail, or a markdown message
to a group robot's webhook (WeCom 企业微信, DingTalk 钉钉). A send that fails raises;
the caller (services.deliver_one) records it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from .models import Outbox


class SendFailed(Exception):
    pass


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>")),
    URL-encoded for the `sign` parameter."""
    text = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), text, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    if not secret:
        return url
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def robot_body(channel: str, payload: dict) -> dict:
    if channel == Outbox.Channel.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": payload["text"]}}
    return {
        "msgtype": "markdown",
        "markdown": {"title": payload["title"], "text": payload["text"]},
    }


def post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(  # noqa: S310 — the administrator's webhook
        request, timeout=settings.REMINDERS_SEND_TIMEOUT
    ) as response:
        answer = response.read()
    try:
        return json.loads(answer or b"{}")
    except ValueError:
        return {}


def send(row: Outbox) -> None:
    if row.channel == Outbox.Channel.EMAIL:
        message = EmailMultiAlternatives(
            subject=row.payload["subject"],
            body=row.payload["text"],
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.target],
        )
        message.attach_alternative(row.payload["html"], "text/html")
        message.send()
        return
    robot = row.robot
    url = row.target
    if row.channel == Outbox.Channel.DINGTALK:
        url = dingtalk_url(url, robot.secret if robot else "")
    answer = post_json(url, robot_body(row.channel, row.payload))
    # both robots answer 200 with {"errcode": 0} when they took the message
    if answer.get("errcode", 0) != 0:
        raise SendFailed(f"{answer.get('errcode')}: {answer.get('errmsg', '')}")
