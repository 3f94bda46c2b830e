"""What the fault tests measured, kept for the README's table (tests/fault_table.py): each case's
exit code, its last line, seconds to exit and what was stored, in .measured/faults.json."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

RECORD = Path(__file__).resolve().parent.parent / ".measured" / "faults.json"


def record(case: str, done: subprocess.CompletedProcess[str], seconds: float, stored: str) -> None:
    """Keep what this case measured (the last run of each case wins)."""
    RECORD.parent.mkdir(exist_ok=True)
    found = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    said = done.stderr.strip().splitlines() if done.returncode != 0 else done.stdout.strip().splitlines()[:1]
    found[case] = {"exit": done.returncode, "line": said[-1] if said else "",
                   "seconds": round(seconds, 1), "stored": stored}
    RECORD.write_text(json.dumps(found, indent=1, ensure_ascii=False))
