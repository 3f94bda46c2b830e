"""Locks with a note saying who holds them: one collection per profile, one scheduler per database.

Two Chromium processes cannot share a profile folder, two collections would race for the day's
snapshot, and two schedulers would collect twice; the second one is told who is busy instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .days import now, utc_iso
from .outcomes import Busy
from .paths import lock_path, private_dir


@contextmanager
def held(path: Path, purpose: str, busy: str) -> Iterator[None]:
    """Hold the lock at ``path`` or raise Busy("{busy} ({who holds it})") at once."""
    private_dir(path.parent)
    note = path.with_suffix(".holder")
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise Busy(f"{busy} ({_holder(note)})") from None
    try:
        note.write_text(json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "purpose": purpose,
            "since": utc_iso(now()),
            "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))[:200],
        }))
        yield
    finally:
        note.unlink(missing_ok=True)
        lock.release()


@contextmanager
def profile_lock(profile: str, purpose: str) -> Iterator[None]:
    with held(lock_path(profile), purpose,
              f"another collection for profile {profile!r} is running; wait for it to finish"):
        yield


@contextmanager
def scheduler_lock(db: Path) -> Iterator[None]:
    key = db.resolve()
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:16]
    with held(lock_path(f"scheduler-{digest}"), f"scheduler for {key}",
              f"a scheduler for {key} is already running"):
        yield


def _holder(note: Path) -> str:
    try:
        info = json.loads(note.read_text())
        return f"{info['purpose']} by pid {info['pid']} on {info['host']} since {info['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown"
