"""Write the README's fault table from what tests/test_faults_round2.py measured (.measured/faults.json):
`make faults-table` runs those tests, then this. Nothing in the table is written by hand."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- faults:start -->", "<!-- faults:end -->"


def table(measured: dict[str, dict[str, object]]) -> str:
    rows = ["| fault | what you see | exit | time to exit | what is stored |", "|---|---|---:|---:|---|"]
    sections = ("site", "database", "process", "scheduler")
    for case, found in sorted(measured.items(), key=lambda item: (sections.index(item[0].split(":")[0]), item[0])):
        line = re.sub(r"/tmp/pytest-of-[^/]+/pytest-\d+/[^/ ]+/", ".../", str(found["line"]))
        line = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", line)
        line = re.sub(r" \(screenshot and page saved in [^)]*\)", " (screenshot and page saved)", line)
        line = line.replace("|", "\\|")
        if len(line) > 150:
            line = line[:149] + "…"
        code = "—" if found["exit"] is None else found["exit"]  # the daemon itself carries on
        rows.append(f"| {case} | `{line}` | {code} | {found['seconds']} s | {found['stored']} |")
    return "\n".join(rows)


def main() -> int:
    measured = json.loads((ROOT / ".measured" / "faults.json").read_text())
    readme = ROOT / "README.md"
    text = readme.read_text()
    if START not in text or END not in text:
        print(f"README.md has no {START} ... {END} section", file=sys.stderr)
        return 1
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    readme.write_text(f"{before}{START}\n{table(measured)}\n{END}{after}")
    print(f"README.md: {len(measured)} faults in the table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
