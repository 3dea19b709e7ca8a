"""The report by e-mail: SIDECAR_SMTP_URL parsed strictly, and the mail received by a local SMTP
server (aiosmtpd) with the PDF attached, signed in with the password given as a secret."""

from __future__ import annotations

import subprocess
from datetime import UTC
from datetime import date
from datetime import datetime
from decimal import Decimal
from email import message_from_bytes
from email import policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from aiosmtpd.smtp import LoginPassword

from sidecar.config import ConfigError
from sidecar.config import SmtpConfig
from sidecar.messages import msg
from sidecar.reports import MailFailed
from sidecar.reports import report_mail
from sidecar.reports import send_mail
from sidecar.sim.process import free_port
from sidecar.sync.reconcile.outcome import Day
from sidecar.sync.reconcile.outcome import Line
from sidecar.sync.reconcile.outcome import Problem
from sidecar.sync.reconcile.outcome import Report
from sidecar.sync.reconcile.outcome import Sum
from tests.test_config import parse

PASSWORD = "hemligt-lösen"


def test_the_smtp_url_is_read_with_its_password_from_a_secret_file(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD + "\n")

    config = parse(SIDECAR_SMTP_URL="smtp+starttls://rapport%40butik.se@smtp.example.se"
                                    "?from=rapport@butik.se",
                   SIDECAR_SMTP_PASSWORD_FILE=str(secret))

    assert config.smtp == SmtpConfig("smtp.example.se", 587, "starttls", "rapport@butik.se",
                                     PASSWORD, "rapport@butik.se")
    assert PASSWORD not in repr(config)
    assert parse().smtp is None


@pytest.mark.parametrize(("env", "problem"), [
    ({"SIDECAR_SMTP_URL": "http://smtp.example.se"}, "expected smtp+starttls://"),
    ({"SIDECAR_SMTP_URL": "smtps://u:pw@smtp.example.se?from=a@b.se"}, "SIDECAR_SMTP_PASSWORD"),
    ({"SIDECAR_SMTP_URL": "smtps://smtp.example.se"}, "needs the sender"),
    ({"SIDECAR_SMTP_URL": "smtps://smtp.example.se:99999?from=a@b.se"}, "port"),
    ({"SIDECAR_SMTP_URL": "smtps://smtp.example.se?from=a@b.se&tls=no"}, "unknown parameter"),
    ({"SIDECAR_SMTP_URL": "smtps://user@smtp.example.se?from=a@b.se"}, "PASSWORD: missing"),
    ({"SIDECAR_SMTP_PASSWORD": "x"}, "SIDECAR_SMTP_URL is not"),
])
def test_a_malformed_smtp_setting_stops_with_one_line(env: dict[str, str], problem: str) -> None:
    with pytest.raises(ConfigError, match=r"^SIDECAR_SMTP") as caught:
        parse(**env)
    assert problem in str(caught.value)
    assert "\n" not in str(caught.value)


class Inbox:
    """What the local SMTP server received, and who signed in."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.signed_in: list[bool] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        self.signed_in.append(bool(session.authenticated))
        return "250 Message accepted for delivery"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                  data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.login == b"rapport" \
        and data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


@pytest.fixture(name="smtp_server")
def _smtp_server() -> Any:
    """A local SMTP server on loopback that offers a sign-in (plain text: loopback only)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    yield inbox, controller.port
    controller.stop()


def a_report() -> Report:
    return Report(
        date(2026, 3, 2), date(2026, 3, 8),
        lines=[Line("2026-03-02", 7, "7", "processing", "SEK", Decimal("199.00"),
                    ("invoice", "12"), Decimal("189.00"), "amount_differs")],
        problems=[Problem("amount_differs", "2026-03-02", 7, "7", ("invoice", "12"), "SEK",
                          Decimal("199.00"), Decimal("189.00"),
                          msg("reconcile.credit_differs", number="12", refund=1, order="7",
                              fortnox="189.00", woo="199.00"))],
        days=[Day("2026-03-02", 1, 0, 1)],
        vat=[Sum("SEK", "25", Decimal("39.80"), Decimal("37.80"))])


def test_the_mail_arrives_with_the_pdf_attached(smtp_server: Any, tmp_path: Path) -> None:
    inbox, port = smtp_server
    smtp = SmtpConfig("127.0.0.1", port, "none", "rapport", PASSWORD, "rapport@butik.se")
    made = datetime(2026, 3, 9, 0, 40, tzinfo=UTC)

    send_mail(smtp, report_mail(a_report(), shop="Testbutiken", made=made, language="sv",
                                sender=smtp.sender,
                                recipients=["agare@butik.se", "revisor@byran.se"],
                                link="https://sidecar.butik.se/reconcile"))

    ((sender, recipients, raw),) = inbox.messages
    assert inbox.signed_in == [True]
    assert sender == "rapport@butik.se"
    assert recipients == ["agare@butik.se", "revisor@byran.se"]
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["Subject"] == "Avstämning 2026-03-02 – 2026-03-08: 1 problem"
    body = mail.get_body(("plain",)).get_content()
    assert "1 ordrar, 0 stämmer på öret, 1 problem." in body
    assert "https://sidecar.butik.se/reconcile" in body
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == "avstamning-2026-03-02-2026-03-08.pdf"
    pdf = tmp_path / "attached.pdf"
    pdf.write_bytes(attachment.get_content())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    assert "Avstämning 2026-03-02 – 2026-03-08" in text and "Beloppet skiljer" in text


def test_a_refused_sign_in_is_said_in_words_without_the_password(smtp_server: Any) -> None:
    _, port = smtp_server
    smtp = SmtpConfig("127.0.0.1", port, "none", "rapport", "fel-lösen", "rapport@butik.se")
    mail = report_mail(a_report(), shop="Testbutiken", made=datetime.now(UTC), language="en",
                       sender=smtp.sender, recipients=["agare@butik.se"], link="http://x")

    with pytest.raises(MailFailed, match="refused the sign-in of 'rapport'") as caught:
        send_mail(smtp, mail)
    assert "fel-lösen" not in str(caught.value)
