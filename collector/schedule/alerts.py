"""Tell a human: a dead session, a day of failures, a falling score, and the weekly digest. Sent
with apprise, so any of its URLs works (desktop, e-mail, ntfy, Slack, a JSON webhook...). Each
is recorded in the `alerts` table and sent once per profile, kind and day (a digest: the Monday
of its week), whatever restarts in between."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..days import now, utc_iso
from ..store import Store

if TYPE_CHECKING:
    from ..trends.digest import Digest

log = logging.getLogger("ssi")


@dataclass(frozen=True)
class Alert:
    profile: str
    kind: str  # 'login' | 'failed' | 'drop' (the digest has its own sender)
    day: str
    title: str
    body: str
    run_id: int | None = None


def deliver(urls: tuple[str, ...], title: str, body: str, *, attach: Path | None = None,
            markdown: bool = False) -> bool:
    """Send to every URL; True when all of them accepted it. ``attach``: a file for the services
    that take attachments (apprise gives the others the text alone)."""
    if not urls:
        return True
    import apprise  # ~20 MB and 100 ms: loaded only when there is something to say

    sender = apprise.Apprise()
    for url in urls:
        if not sender.add(url):
            log.warning("alert: cannot use notification URL %s", _safe(url))
    if not len(sender):
        return False
    sent = sender.notify(title=title, body=body, attach=str(attach) if attach else None,
                         body_format=apprise.NotifyFormat.MARKDOWN if markdown else None)
    return bool(sent) and len(sender) == len(urls)


def _safe(url: str) -> str:
    """A notification URL often carries a token: show only its scheme and host."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    return f"{scheme}://{host}/…"


def send_once(store: Store, urls: tuple[str, ...], alert: Alert) -> bool:
    """Send ``alert`` unless this profile already had one of its kind today. True if sent now."""
    if store.alerted(alert.profile, alert.kind, alert.day):
        return False
    delivered = deliver(urls, alert.title, alert.body)
    store.record_alert(alert.profile, alert.kind, alert.day, utc_iso(now()),
                       alert.title, alert.body, delivered, alert.run_id)
    log.info("alert: profile=%s kind=%s delivered=%s", alert.profile, alert.kind, "yes" if delivered else "NO")
    return True


def send_digest(store: Store, urls: tuple[str, ...], digest: Digest) -> bool:
    """The week's digest to ``urls``, as Markdown, with the `ssi chart` picture of the last 90 days
    attached (goals and notes drawn) where matplotlib is installed; True when all accepted it."""
    import tempfile

    from ..trends.chart import ChartUnavailable, draw

    with tempfile.TemporaryDirectory(prefix="ssi-digest-") as folder:
        picture = Path(folder) / f"ssi-{digest.profile}-{digest.week}.png"
        first = (digest.sunday - timedelta(days=89)).isoformat()
        rows = [row for row in store.history(digest.profile, first) if row["day"] <= digest.sunday.isoformat()]
        try:
            draw(rows, digest.profile, picture, notes=store.notes(digest.profile, first, digest.sunday.isoformat()),
                 goals=digest.goals)
            attach: Path | None = picture
        except ChartUnavailable:
            log.info("digest: matplotlib is not installed; sending the text alone")
            attach = None
        return deliver(urls, digest.title(), digest.to_markdown(), attach=attach, markdown=True)

