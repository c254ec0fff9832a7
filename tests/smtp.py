"""A real SMTP server for the e-mail tests (aiosmtpd), and the task worker run for real.

``SmtpServer`` listens on a free loopback port; ``stop()`` and ``start()`` take it
away and bring it back on the same port, so a test can watch sending fail and
succeed. ``run_worker`` runs django-tasks-db's own worker (the loop behind
``manage.py db_worker``) until the queue holds nothing ready.
"""

import email
import email.policy
import logging
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from django_tasks_db.management.commands.db_worker import Worker

# aiosmtpd logs every SMTP command at INFO; the tests read the inbox instead.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.raw: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.recipients.append(list(envelope.rcpt_tos))
        self.raw.append(envelope.original_content)
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = _Inbox()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def start(self) -> "SmtpServer":
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mailers(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }


def run_worker(max_tasks: int | None = None) -> None:
    """Run every ready task (or ``max_tasks`` of them), as ``db_worker --batch`` does."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    assert part.get_content_type() == f"text/{subtype}"
    return part.get_content()
