"""The SMS outbox: by default each message is a file in var/outbox/sms/, as mail is in var/outbox/.

A gateway plugs in through IDENTITY_SMS_BACKEND (a class with `send(to=, text=)`).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from sangsaeng.identity.providers import SmsSender


class FileSmsSender:
    """Writes one JSON file per message, named so that a directory listing sorts by time."""

    def send(self, *, to: str, text: str) -> None:
        directory = Path(settings.IDENTITY_SMS_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        name = f"{now:%Y%m%d-%H%M%S-%f}-{secrets.token_hex(4)}.json"
        body = {"to": to, "text": text, "sent_at": now.isoformat()}
        (directory / name).write_text(json.dumps(body, ensure_ascii=False))


def sms_send(*, to: str, text: str) -> None:
    sender: SmsSender = import_string(settings.IDENTITY_SMS_BACKEND)()
    sender.send(to=to, text=text)
