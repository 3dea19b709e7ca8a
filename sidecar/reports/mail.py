"""The report by e-mail: a short summary in the owner's language with the PDF attached, sent
through the SMTP server of the deploy-time configuration (`SIDECAR_SMTP_URL`)."""

from __future__ import annotations

import base64
import logging
import smtplib
import ssl
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate
from email.utils import make_msgid

from sidecar.config import SmtpConfig
from sidecar.messages.words import Words
from sidecar.reports.pdf_file import report_pdf
from sidecar.sync.reconcile.outcome import Report

log = logging.getLogger(__name__)

TIMEOUT = 30.0


class MailFailed(Exception):
    """The mail was not handed over; the message says why (never the password)."""


def report_mail(report: Report, *, shop: str, made: datetime, language: str, sender: str,
                recipients: Sequence[str], link: str) -> EmailMessage:
    words = Words(language)
    period = report.first.isoformat() if report.first == report.last else \
        f"{report.first.isoformat()} – {report.last.isoformat()}"
    summary = words("reconcile.summary", orders=report.orders, matched=report.matched,
                    problems=len(report.problems))
    message = EmailMessage()
    message["Subject"] = words("reconcile.mail.subject", period=period,
                               problems=len(report.problems))
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(made.timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(words("reconcile.mail.body", shop=shop, period=period, summary=summary,
                              link=link))
    message.add_attachment(report_pdf(report, shop=shop, made=made, language=language),
                           maintype="application", subtype="pdf",
                           filename=file_name(report, language, "pdf"))
    return message


def _sign_in(client: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib encodes credentials as ASCII; a Swedish password (å, ä, ö) goes as UTF-8 in
    AUTH PLAIN instead, as RFC 4616 allows."""
    client.ehlo_or_helo_if_needed()
    if username.isascii() and password.isascii():
        client.login(username, password)
        return
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = client.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def file_name(report: Report, language: str, extension: str) -> str:
    """avstamning-2025-03-01-2025-03-31.pdf (reconciliation-… in English)."""
    name = "avstamning" if language == "sv" else "reconciliation"
    days = report.first.isoformat() if report.first == report.last else \
        f"{report.first.isoformat()}-{report.last.isoformat()}"
    return f"{name}-{days}.{extension}"


def send_mail(smtp: SmtpConfig, message: EmailMessage) -> None:
    """Hand the message to the SMTP server; raises MailFailed in words."""
    try:
        if smtp.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.username:
                _sign_in(client, smtp.username, smtp.password)
            refused = client.send_message(message, from_addr=smtp.sender)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailFailed(f"the SMTP server refused the sign-in of {smtp.username!r} "
                         f"({exc.smtp_code})") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailFailed(f"the SMTP server refused every recipient: "
                         f"{', '.join(sorted(exc.recipients))}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailFailed(f"the SMTP server {smtp.host}:{smtp.port} could not take the mail: "
                         f"{exc}") from None
    if refused:
        raise MailFailed(f"the SMTP server refused: {', '.join(sorted(refused))}")
    log.info("reconcile.mailed recipients=%d", len(message.get_all("To") or []))
