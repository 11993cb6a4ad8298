"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class RecordingHandler:
    """Accepts every message, except recipients at a domain it is told to refuse."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refused_domains: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.rpartition('@')[2] in self.refused_domains:
            return '550 5.1.1 Mailbox unavailable'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return '250 Message accepted for delivery'


@pytest.fixture
def smtp_server(app):
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    handler = RecordingHandler()
    controller = Controller(handler, hostname='127.0.0.1', port=port)
    controller.start()
    app.config.update(
        MAIL_SERVER='127.0.0.1',
        MAIL_PORT=port,
        MAIL_DEFAULT_SENDER='Ban To chuc <btc@hagiang.example>',
    )
    yield handler
    controller.stop()


@pytest.fixture(autouse=True)
def _jobs_run(job_worker):
    """The pages and the API of this area hand their heavy work to the job worker."""
