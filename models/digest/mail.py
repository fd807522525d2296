"""The due-soon digest by e-mail: composed in Chinese from templates/mail/ with the one Jinja2 environment, sent
with smtplib to the one configured address."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlmodel import Session

from models.core.clock import local, local_date
from models.core.settings import Settings, get_settings
from models.digest.due_soon import Digest, Office, digest
from models.digest.log import claim, release
from models.documents.render import environment

LISTED = 30  # cases listed per stage in a mail; the rest are counted
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Mail:
    """An e-mail as it was sent."""

    sender: str
    to: str
    subject: str
    text: str
    html: str


def when(moment: datetime) -> str:
    """A moment in office time to the minute."""
    return local(moment).format("YYYY-MM-DD HH:mm")


def enabled(settings: Settings | None = None) -> bool:
    """Whether digests are e-mailed: an SMTP server and a recipient are both configured."""
    settings = settings or get_settings()
    return bool(settings.smtp_host and settings.digest_to)


def sender_of(settings: Settings) -> str:
    """The From address: the configured sender, else the SMTP login when it is an address, else tuopin@host."""
    if settings.smtp_sender:
        return settings.smtp_sender
    return settings.smtp_user if "@" in settings.smtp_user else f"tuopin@{settings.smtp_host}"


def subject(found: Digest) -> str:
    """E.g. 【到期提醒】示范镇 2026-11-24：超期3件，3日内到期12件 (windows and objections added when there are any)."""
    text = (f"【到期提醒】{found.office} {local_date(found.now).isoformat()}："
            f"超期{found.overdue}件，{found.days}日内到期{found.soon}件")
    if found.windows:
        text += f"，公示将满{len(found.windows)}个"
    if found.objections:
        text += f"，待处理异议{len(found.objections)}件"
    return text


def compose(found: Digest, *, sender: str, to: str, web_url: str = "") -> Mail:
    """The digest's e-mail: plain text and the same in HTML; with `web_url`, each case links to its page."""
    context = {"doc": found, "listed": LISTED, "when": when, "web": web_url.rstrip("/")}
    return Mail(
        sender=sender, to=to, subject=subject(found),
        text=environment().get_template("mail/digest.txt.j2").render(**context),
        html=environment().get_template("mail/digest.html.j2").render(**context),
    )


def message(mail: Mail, now: datetime) -> EmailMessage:
    """The MIME message of a mail, UTF-8 throughout."""
    msg = EmailMessage()
    msg["From"] = mail.sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(local(now))
    msg["Message-ID"] = make_msgid(domain=mail.sender.rpartition("@")[2] or None)
    msg.set_content(mail.text, charset="utf-8")
    msg.add_alternative(mail.html, subtype="html", charset="utf-8")
    return msg


def send(mail: Mail, now: datetime, settings: Settings | None = None) -> None:
    """Hand one mail to the configured SMTP server (STARTTLS and login when configured)."""
    settings = settings or get_settings()
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message(mail, now))


def send_digest(session: Session, office: Office, now: datetime, settings: Settings | None = None) -> Mail | None:
    """Send the office's digest to the configured address; None (nothing sent) when e-mail is off, nothing is due,
    or the office's digest already went out this office day."""
    settings = settings or get_settings()
    if not enabled(settings):
        return None
    found = digest(session, office.region, now, settings.digest_days)
    if found.empty or not claim(session, office.code, settings.digest_to, now):
        return None
    mail = compose(found, sender=sender_of(settings), to=settings.digest_to, web_url=settings.web_url)
    try:
        send(mail, now, settings)
    except BaseException:
        release(session, office.code, now)
        raise
    return mail
