"""Tell a human: a dead session, a day of failures, a falling score. Sent with apprise, so any of
its URLs works (desktop, e-mail, ntfy, Slack, a JSON webhook...). Each alert is recorded in the
`alerts` table first and sent once per profile, kind and day, whatever restarts in between."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..days import now, utc_iso
from ..store import Store

log = logging.getLogger("ssi")


@dataclass(frozen=True)
class Alert:
    profile: str
    kind: str  # 'login' | 'failed' | 'drop'
    day: str
    title: str
    body: str
    run_id: int | None = None


def deliver(urls: tuple[str, ...], title: str, body: str) -> bool:
    """Send to every URL; True when all of them accepted it."""
    if not urls:
        return True
    import apprise  # ~20 MB and 100 ms: loaded only when there is something to say

    sender = apprise.Apprise()
    for url in urls:
        if not sender.add(url):
            log.warning("alert: cannot use notification URL %s", _safe(url))
    if not len(sender):
        return False
    return bool(sender.notify(title=title, body=body))


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
