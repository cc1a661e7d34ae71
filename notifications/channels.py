"""Delivery channels behind one interface.

A channel sends one message about one or more notifications (more than one is a quiet-hours
digest). It returns when the message is accepted and raises DeliveryError otherwise:
`retry=False` for a fault a retry cannot cure (no address, nothing configured).
"""

import json
import logging
import smtplib
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import Channel, Level, Notification

log = logging.getLogger(__name__)

DEFAULT_WEBHOOK_LEVELS = (Level.RED, Level.ESCALATED, Level.URGENT)


class DeliveryError(Exception):
    retry = True

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class PermanentDeliveryError(DeliveryError):
    retry = False


def absolute_url(link):
    if not link or link.startswith(("http://", "https://")):
        return link
    return getattr(settings, "SITE_URL", "").rstrip("/") + link


def _stamp(notification):
    return timezone.localtime(notification.created_at).strftime("%m-%d %H:%M")


class BaseChannel:
    code = ""
    # True for a channel that reaches a group: one message per batch, not one per recipient.
    once_per_batch = False

    def wanted_for(self, notification):
        """Whether a notification gets a delivery on this channel at all."""
        return True

    def digest_key(self, delivery):
        """Held deliveries with the same key go out together as one digest."""
        return delivery.notification.recipient_id

    def send(self, *, recipient, notifications):
        raise NotImplementedError


class InAppChannel(BaseChannel):
    """The inbox row is the message: writing the notification delivered it."""

    code = Channel.IN_APP

    def send(self, *, recipient, notifications):
        return None


class EmailChannel(BaseChannel):
    code = Channel.EMAIL

    def send(self, *, recipient, notifications):
        if not recipient.email:
            raise PermanentDeliveryError("收件人没有电子邮件地址")
        subject, body = self.render(notifications)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email], fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentDeliveryError(f"邮件服务器拒收该地址: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"邮件发送失败: {type(exc).__name__}: {exc}") from exc

    def render(self, notifications):
        if len(notifications) == 1:
            n = notifications[0]
            lines = [n.body, "", absolute_url(n.link)] if n.link else [n.body]
            return f"[护商通] {n.title}", "\n".join(lines).strip() + "\n"
        lines = [f"免打扰时段内您有 {len(notifications)} 条通知:", ""]
        for n in notifications:
            lines.append(f"· [{_stamp(n)}] 【{n.get_level_display()}】{n.title}")
            if n.body:
                lines.append(f"  {n.body}")
            if n.link:
                lines.append(f"  {absolute_url(n.link)}")
        return f"[护商通] {len(notifications)} 条通知汇总", "\n".join(lines) + "\n"


class WebhookChannel(BaseChannel):
    """A WeCom / DingTalk style group robot: a JSON POST of a markdown message."""

    code = Channel.WEBHOOK
    once_per_batch = True

    def wanted_for(self, notification):
        levels = getattr(settings, "NOTIFY_WEBHOOK_LEVELS", DEFAULT_WEBHOOK_LEVELS)
        return bool(settings.NOTIFY_WEBHOOK_URL) and notification.level in levels

    def digest_key(self, delivery):
        return "group"  # one robot, one digest

    def send(self, *, recipient, notifications):
        url = settings.NOTIFY_WEBHOOK_URL
        if not url:
            raise PermanentDeliveryError("未配置群机器人地址 NOTIFY_WEBHOOK_URL")
        payload = {"msgtype": "markdown", "markdown": {"content": self.render(notifications)}}
        post_json(url, payload, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT)

    def render(self, notifications):
        names = _batch_recipients(notifications)
        if len(notifications) == 1:
            n = notifications[0]
            link = f"[查看详情]({absolute_url(n.link)})" if n.link else ""
            lines = [f"### 【{n.get_level_display()}】{n.title}", n.body, link]
        else:
            lines = [f"### 护商通 · 免打扰时段内的 {len(notifications)} 条通知"]
            lines += [f"- {_stamp(n)} 【{n.get_level_display()}】{n.title}" for n in notifications]
        if names:
            lines.append(f"> 通知对象: {'、'.join(names)}")
        return "\n".join(line for line in lines if line)


def _batch_recipients(notifications):
    batches = {n.batch for n in notifications}
    rows = Notification.objects.filter(batch__in=batches).select_related("recipient").order_by("pk")
    seen = {}
    for n in rows:
        seen.setdefault(n.recipient_id, str(n.recipient))
    return list(seen.values())


def post_json(url, payload, *, timeout):
    """POST JSON; raise DeliveryError on a timeout, a non-2xx answer or a robot's errcode."""
    request = urllib.request.Request(
        url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            status, text = response.status, response.read(4096).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"群机器人返回 HTTP {exc.code}") from exc
    except TimeoutError as exc:
        raise DeliveryError(f"群机器人超时 (>{timeout:g} 秒)") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise DeliveryError(f"群机器人超时 (>{timeout:g} 秒)") from exc
        raise DeliveryError(f"群机器人无法连接: {exc.reason}") from exc
    except OSError as exc:
        raise DeliveryError(f"群机器人连接失败: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"群机器人返回 HTTP {status}")
    _check_errcode(text)


def _check_errcode(text):
    # WeCom and DingTalk answer 200 with {"errcode": n, "errmsg": ...} when they refuse.
    try:
        answer = json.loads(text)
    except ValueError:
        return
    if isinstance(answer, dict) and answer.get("errcode") not in (None, 0):
        raise DeliveryError(f"群机器人拒绝: errcode={answer['errcode']} {answer.get('errmsg', '')}".strip())


CHANNELS = {channel.code: channel for channel in (InAppChannel(), EmailChannel(), WebhookChannel())}


def get_channel(code):
    return CHANNELS[code]
