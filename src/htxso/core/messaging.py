"""The message gateway: short messages to a person's phone (SMS, Zalo ZNS) or e-mail.

Services call :func:`send_message` (or :func:`send_after_commit` inside a transaction);
the backend named by ``settings.HTXSO_MESSAGE_BACKEND`` delivers it.  No real provider is
called by this code base: the backends here are

* ``console`` — writes each message to standard output (development, ``make run``);
* ``file`` — appends one JSON line per message to ``var/messages/outbox.jsonl``
  (a demo server whose operator wants to read the codes it sent);
* ``memory`` — keeps the messages in :data:`outbox` (tests; like Django's locmem mail).

E-mail goes through Django's e-mail backend whichever message backend is chosen, so
``EMAIL_BACKEND`` decides where it lands.  A provider (an SMS brand-name gateway, Zalo
ZNS) is one more class with ``deliver(message)``.
"""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


class Channel:
    SMS = "sms"
    ZALO = "zalo"
    EMAIL = "email"
    ALL = (SMS, ZALO, EMAIL)


@dataclass(frozen=True)
class Message:
    channel: str
    to: str
    text: str
    #: what the message is for ("signup_code", "invitation", …): kept with it in the
    #: outbox and the logs, never shown to the recipient
    purpose: str = ""
    subject: str = ""
    sent_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


#: Messages kept by the ``memory`` backend (tests read and clear it).
outbox: list[Message] = []
_outbox_lock = threading.Lock()


class ConsoleBackend:
    def deliver(self, message: Message) -> None:
        sys.stdout.write(f"[{message.channel} → {message.to}] {message.text}\n")
        sys.stdout.flush()


class FileBackend:
    def deliver(self, message: Message) -> None:
        folder = Path(settings.VAR_DIR) / "messages"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "outbox.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(message), ensure_ascii=False) + "\n")


class MemoryBackend:
    def deliver(self, message: Message) -> None:
        with _outbox_lock:
            outbox.append(message)


BACKENDS: dict[str, type[ConsoleBackend | FileBackend | MemoryBackend]] = {
    "console": ConsoleBackend,
    "file": FileBackend,
    "memory": MemoryBackend,
}


def backend() -> ConsoleBackend | FileBackend | MemoryBackend:
    name = getattr(settings, "HTXSO_MESSAGE_BACKEND", "console")
    try:
        return BACKENDS[name]()
    except KeyError as exc:  # pragma: no cover - settings are checked at start-up
        raise ValueError(f"unknown HTXSO_MESSAGE_BACKEND {name!r}") from exc


def send_message(
    *, channel: str, to: str, text: str, purpose: str = "", subject: str = ""
) -> Message:
    """Send ``text`` to ``to`` (a phone number in E.164, or an e-mail address) now."""
    if channel not in Channel.ALL:
        raise ValueError(f"unknown channel {channel!r}")
    message = Message(channel=channel, to=to, text=str(text), purpose=purpose, subject=str(subject))
    if channel == Channel.EMAIL:
        send_mail(message.subject or "HTX Số", message.text, None, [to])
        if getattr(settings, "HTXSO_MESSAGE_BACKEND", "console") == "memory":
            MemoryBackend().deliver(message)  # tests see every channel in one outbox
        return message
    backend().deliver(message)
    return message


def send_after_commit(
    *, channel: str, to: str, text: str, purpose: str = "", subject: str = ""
) -> None:
    """Send once the current transaction has committed (nothing is sent on rollback)."""
    transaction.on_commit(
        lambda: send_message(channel=channel, to=to, text=text, purpose=purpose, subject=subject)
    )


def sent_to(to: str, purpose: str = "") -> list[Message]:
    """The ``memory`` outbox's messages to ``to`` (and for ``purpose``), oldest first."""
    with _outbox_lock:
        return [m for m in outbox if m.to == to and (not purpose or m.purpose == purpose)]
