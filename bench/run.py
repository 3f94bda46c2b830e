"""`make bench`: each figure measured side by side with its baseline, in one process run.

Prints a table (figure, ours, baseline, ratio, target, pass/fail) and writes bench/results.json.
Rounds alternate between ours and the baseline so that the machine's noise hits both alike;
medians, never single runs.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Row:
    key: str
    figure: str
    ours: float
    baseline: float | None
    unit: str
    target: str
    passed: bool

    @property
    def ratio(self) -> float | None:
        return self.ours / self.baseline if self.baseline else None


def alternate(ours: Callable[[], object], baseline: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Median seconds of each, measured in alternating rounds after one warm-up call each."""
    ours(), baseline()
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        for fn, out in ((ours, a), (baseline, b)):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def bench_parse() -> list[Row]:
    from bs4 import BeautifulSoup

    import parsers

    page = (ROOT / "fixtures" / "corpus" / "page-2026-en-full.html").read_bytes()
    ours, baseline = alternate(lambda: parsers.parse(page), lambda: BeautifulSoup(page, "html.parser"), 60)
    ms, base_ms = ours * 1000, baseline * 1000
    return [
        Row("parse_ms", f"parse a full 2026 page ({len(page) // 1024} KB)", ms, None, "ms", "<= 10", ms <= 10),
        Row("parse_vs_htmlparser", "… against BeautifulSoup(html.parser) full tree", ms, base_ms, "ms", "< 1",
            ms < base_ms),
    ]


def bench_collect() -> list[Row]:
    """`ssi collect --force` against the stand-in, next to bench/bare_visit.py, as whole processes."""
    import json
    import os
    import subprocess
    import tempfile

    from collector.browser import resolve_browser
    from fixtures.site import StandIn

    ssi = str(Path(sys.executable).with_name("ssi"))
    browser = resolve_browser(None, headless=True)
    with tempfile.TemporaryDirectory() as tmp, StandIn(mode="ok") as site:
        state = Path(tmp) / "state.json"
        state.write_text(json.dumps(site.storage_state()))
        env = {**os.environ, "SSI_DATA_DIR": str(Path(tmp) / "data"), "SSI_DB": str(Path(tmp) / "bench.db"),
               "SSI_BASE_URL": site.url}

        def ours() -> None:
            subprocess.run([ssi, "collect", "--force", "--auth", str(state)], env=env, check=True,
                           capture_output=True)

        def bare() -> None:
            subprocess.run([sys.executable, str(ROOT / "bench" / "bare_visit.py"), browser.executable,
                            site.url + "/sales/ssi", str(state)], check=True, capture_output=True)

        ours_s, bare_s = alternate(ours, bare, 7)
    ratio = ours_s / bare_s
    return [Row("collect_vs_bare", "ssi collect --force vs a bare Playwright visit (wall, whole process)",
                ours_s, bare_s, "s", "<= 1.5", ratio <= 1.5)]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _children(pid: int) -> bool:
    return any(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())


def bench_daemon() -> list[Row]:
    """Resident memory of `ssi schedule` once its first scheduled run is over and no browser is left,
    next to an idle bare Python interpreter."""
    import os
    import signal
    import subprocess
    import tempfile

    from playwright.sync_api import sync_playwright

    from fixtures.site import StandIn

    ssi = str(Path(sys.executable).with_name("ssi"))
    with tempfile.TemporaryDirectory() as tmp, StandIn(mode="ok") as site:
        data = Path(tmp) / "data"
        with sync_playwright() as pw:
            site.sign_in_profile(data / "profiles" / "default", pw)
        env = {**os.environ, "SSI_DATA_DIR": str(data), "SSI_DB": str(Path(tmp) / "d.db"), "SSI_BASE_URL": site.url}
        daemon = subprocess.Popen([ssi, "schedule", "--at", "00:00", "--jitter", "0", "--heartbeat", "0.5"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        bare = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        try:
            deadline = time.monotonic() + 60
            log = data / "logs" / "ssi.log"
            while not (log.exists() and "status=ok" in log.read_text()):
                if time.monotonic() > deadline:
                    raise RuntimeError("the daemon's scheduled run did not finish")
                time.sleep(0.2)
            while _children(daemon.pid):
                time.sleep(0.1)
            time.sleep(2)  # a few idle heartbeats
            ours, baseline = _rss_mb(daemon.pid), _rss_mb(bare.pid)
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.communicate(timeout=30)
            bare.kill()
            bare.wait()
    return [Row("daemon_idle_rss_mb", "ssi schedule idle after one run (RSS) vs an idle bare python",
                ours, baseline, "MB", "<= 80 MB", ours <= 80)]


BENCHMARKS: list[Callable[[], list[Row]]] = [bench_parse, bench_collect, bench_daemon]


def main() -> int:
    rows = [row for bench in BENCHMARKS for row in bench()]
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"ssi-collector benchmarks ({platform.node()}, {platform.python_version()})")
    for column in ("figure", "ours", "baseline", "ratio", "target", "result"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for row in rows:
        table.add_row(
            row.figure, f"{row.ours:.2f} {row.unit}",
            f"{row.baseline:.2f} {row.unit}" if row.baseline is not None else "—",
            f"{row.ratio:.3f}" if row.ratio is not None else "—",
            row.target, "[green]pass[/]" if row.passed else "[red]FAIL[/]",
        )
    Console(width=110).print(table)
    # Ratios where the target is a ratio, absolute figures where it is absolute.
    results = {row.key: (round(row.ratio, 4) if row.ratio is not None and "MB" not in row.target
                         and "ms" not in row.target else round(row.ours, 3)) for row in rows}
    results["details"] = [asdict(row) | {"ratio": row.ratio} for row in rows]
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(row.passed for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
