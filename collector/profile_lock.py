"""One collection per profile at a time: a file lock, and a note saying who holds it.

Two Chromium processes cannot share a profile folder, and two collections would race for the
day's snapshot; the second one is told who is busy instead.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from .outcomes import Busy
from .paths import lock_path, private_dir


@contextmanager
def profile_lock(profile: str, purpose: str) -> Iterator[None]:
    path = lock_path(profile)
    private_dir(path.parent)
    note = path.with_suffix(".holder")
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise Busy(f"another collection for profile {profile!r} is running ({_holder(note)}); "
                   "wait for it to finish") from None
    try:
        note.write_text(json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "purpose": purpose,
            "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))[:200],
        }))
        yield
    finally:
        note.unlink(missing_ok=True)
        lock.release()


def _holder(note: Path) -> str:
    try:
        info = json.loads(note.read_text())
        return f"{info['purpose']} by pid {info['pid']} on {info['host']} since {info['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown"
