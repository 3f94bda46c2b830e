"""Locks with a note saying who holds them: one process per profile, one scheduler per database.

Anything that opens a profile's browser (a sign-in, a collection, the demo) holds the profile's lock
for as long as the browser is open: two processes on one browser profile at once lose the session
(the longer-lived one, in 3 of 3 runs measured, see the session reference), two collections would
race for the day's snapshot, and two schedulers would collect twice. The second one is told who is
busy, at once or after waiting its turn. Within one process the lock is re-entrant: the collection
that started its browser early holds it from before the browser starts until after it closes.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .days import now, utc_iso
from .outcomes import Busy
from .paths import lock_path, private_dir


_HELD: dict[str, int] = {}  # the locks this process holds, and how many times over


@contextmanager
def held(path: Path, purpose: str, busy: str, *, wait: float = 0.0,
         waiting: Callable[[str], None] = lambda holder: None) -> Iterator[None]:
    """Hold the lock at ``path``: at once, or within ``wait`` seconds (``waiting`` is told who
    holds it, once), else raise Busy("{busy} ({who holds it})")."""
    key = os.path.abspath(path)
    if key in _HELD:  # this process holds it already (an outer step of the same job)
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    private_dir(path.parent)
    note = path.with_suffix(".holder")
    lock = FileLock(str(path), timeout=0)
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            lock.acquire()
            break
        except Timeout:
            if time.monotonic() >= deadline:
                raise Busy(f"{busy} ({_holder(note)})") from None
            if not told:
                waiting(_holder(note))
                told = True
            time.sleep(0.2)
    _HELD[key] = 1
    try:
        note.write_text(json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "purpose": purpose,
            "since": utc_iso(now()),
            "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))[:200],
        }))
        yield
    finally:
        del _HELD[key]
        note.unlink(missing_ok=True)
        lock.release()


@contextmanager
def profile_lock(profile: str, purpose: str, *, wait: float = 0.0,
                 waiting: Callable[[str], None] = lambda holder: None) -> Iterator[None]:
    """The profile's lock: its browser profile is opened by one process at a time."""
    with held(lock_path(profile), purpose,
              f"another collection or sign-in for profile {profile!r} is running; wait for it to finish",
              wait=wait, waiting=waiting):
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
