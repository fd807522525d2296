"""Task of the sweep: e-mail each office's due-soon digest to the configured address."""

from __future__ import annotations

import smtplib
from datetime import datetime

from prefect import get_run_logger, task

from models.core.db import session_scope
from models.core.settings import get_settings
from models.digest.due_soon import offices_with_work
from models.digest.mail import enabled, send_digest
from tasks.context import moment


# No retries: a retried run would send the offices already served a second copy; each office's failure is logged
# and the others are still sent.
@task(retries=0)
def send_digests(scope: str = "", now: str | datetime | None = None) -> int:
    """Send one digest per township or county office with something due; 0 when e-mail is off."""
    logger = get_run_logger()
    settings = get_settings()
    if not enabled(settings):
        logger.info("digest e-mail is off (TUOPIN_SMTP_HOST or TUOPIN_DIGEST_TO not set)")
        return 0
    at = moment(now)
    sent = 0
    with session_scope() as session:
        for office in offices_with_work(session, at, settings.digest_days, scope):
            try:
                mail = send_digest(session, office, at, settings)
            except (smtplib.SMTPException, OSError):
                logger.exception("could not send the digest of %s (%s)", office.name, office.code)
                continue
            if mail is not None:
                logger.info("sent the digest of %s to %s: %s", office.name, mail.to, mail.subject)
                sent += 1
    return sent
