"""`make bench`: each figure measured side by side with its baseline, in one process run.

Prints a table (figure, ours, baseline, ratio, target, pass/fail) and writes bench/results.json.
Rounds alternate between ours and the baseline so that the machine's noise hits both alike;
medians, never single runs. Whole commands are timed as processes, as a person would run them.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SSI = str(Path(sys.executable).with_name("ssi"))


@dataclass
class Row:
    key: str  # the name in bench/results.json
    figure: str
    ours: float
    baseline: float | None
    unit: str
    target: str
    passed: bool
    result: float  # what results.json records under ``key``: the ratio or the absolute figure

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


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])}… failed: {done.stderr.strip()[-300:]}")


# -- process trees and their memory ------------------------------------------------------------
def _tree(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def _pss_mb(pid: int) -> float:
    """Proportional set size: shared pages (Chromium's processes share many) counted once overall."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def peak_tree_pss(command: list[str], env: dict[str, str] | None = None) -> float:
    """Run ``command`` and return the highest summed PSS of its whole process tree (sampled every 20 ms)."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, sum(_pss_mb(pid) for pid in _tree(process.pid)))
        time.sleep(0.02)
    if process.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed")
    return peak


@contextmanager
def collect_setup(mode: str = "ok") -> Iterator[tuple[Any, dict[str, str], Path]]:
    """A stand-in, a private data folder with a signed-in default profile, and the environment.
    The stand-in is lenient: the baselines below are bare scripts that take no care of their
    identity, which the strict stand-in would (rightly) refuse; what is measured is cost."""
    from collector.standin import StandIn

    with tempfile.TemporaryDirectory() as tmp, StandIn(mode=mode, strict=False) as site:
        state = Path(tmp) / "state.json"
        state.write_text(json.dumps(site.storage_state()))
        env = {**os.environ, "SSI_DATA_DIR": str(Path(tmp) / "data"), "SSI_DB": str(Path(tmp) / "bench.db"),
               "SSI_BASE_URL": site.url}
        run([SSI, "collect", "--force", "--auth", str(state)], env)  # the session, into the profile's browser
        yield site, env, state


def bare_visit(site: Any, env: dict[str, str], *extra: str) -> list[str]:
    """The bare visit in the very browser profile `ssi collect` uses, with the same full browser."""
    from collector.browser import resolve_browser

    profile = Path(env["SSI_DATA_DIR"]) / "profiles" / "default" / "browser"
    return [sys.executable, str(ROOT / "bench" / "bare_visit.py"), resolve_browser(None, headless=True).executable,
            site.url + "/sales/ssi", "--profile", str(profile), *extra]


def bare_visit_from_state(executable: str, site: Any, state: Path) -> list[str]:
    return [sys.executable, str(ROOT / "bench" / "bare_visit.py"), executable, site.url + "/sales/ssi",
            "--state", str(state)]


# -- the benchmarks ------------------------------------------------------------------------------
def bench_parse() -> list[Row]:
    from bs4 import BeautifulSoup

    import parsers

    page = (ROOT / "fixtures" / "corpus" / "page-2026-en-full.html").read_bytes()
    ours, baseline = alternate(lambda: parsers.parse(page), lambda: BeautifulSoup(page, "html.parser"), 60)
    ms, base_ms = ours * 1000, baseline * 1000
    return [
        Row("parse_ms", f"parse a full 2026 page ({len(page) // 1024} KB)", ms, None, "ms", "<= 10 ms", ms <= 10,
            round(ms, 3)),
        Row("parse_vs_htmlparser", "… against BeautifulSoup(html.parser) full tree", ms, base_ms, "ms", "< 1",
            ms < base_ms, round(ms / base_ms, 4)),
    ]


def bench_collect() -> list[Row]:
    """`ssi collect --force` against the stand-in, next to bench/bare_visit.py with the same full
    browser in the same browser profile, as whole processes."""
    with collect_setup() as (site, env, _state):
        ours, bare = alternate(lambda: run([SSI, "collect", "--force"], env),
                               lambda: run(bare_visit(site, env)), 9)
        peaks_ours, peaks_bare = [], []
        for _ in range(3):
            peaks_ours.append(peak_tree_pss([SSI, "collect", "--force"], env))
            peaks_bare.append(peak_tree_pss(bare_visit(site, env)))
        mem, mem_bare = statistics.median(peaks_ours), statistics.median(peaks_bare)
        start = site.bytes_sent
        run([SSI, "collect", "--force"], env)
        ours_bytes = site.bytes_sent - start
        start = site.bytes_sent
        run(bare_visit(site, env, "--everything"))
        all_bytes = site.bytes_sent - start
    return [
        Row("collect_vs_bare", "ssi collect --force vs a bare Playwright visit, same full browser (wall)", ours,
            bare, "s", "<= 1.1", ours / bare <= 1.1, round(ours / bare, 4)),
        Row("collect_peak_mem_vs_bare", "… peak memory, whole process tree (PSS)", mem, mem_bare, "MB", "<= 1.1",
            mem / mem_bare <= 1.1, round(mem / mem_bare, 4)),
        Row("collect_bytes_vs_unblocked", "… bytes received vs the page with nothing blocked", ours_bytes / 1024,
            all_bytes / 1024, "KB", "<= 0.5", ours_bytes / all_bytes <= 0.5, round(ours_bytes / all_bytes, 4)),
    ]


def bench_full_vs_shell() -> list[Row]:
    """What the full browser costs against the headless shell, the same bare visit with each (a
    fresh context from a storage state, as the old daily visit was). No target: the full browser
    is what keeps the session (see the README), and once a day the price is small."""
    from collector.browser import resolve_browser
    from collector.browser.find import headless_shell

    shell = headless_shell()
    if shell is None:
        raise RuntimeError("no headless shell to compare with: `make test-machine` installs it")
    with collect_setup() as (site, _env, state):
        full, bare_shell = alternate(lambda: run(bare_visit_from_state(resolve_browser().executable, site, state)),
                                     lambda: run(bare_visit_from_state(shell.executable, site, state)), 7)
        mem = statistics.median(peak_tree_pss(bare_visit_from_state(resolve_browser().executable, site, state))
                                for _ in range(3))
        mem_shell = statistics.median(peak_tree_pss(bare_visit_from_state(shell.executable, site, state))
                                      for _ in range(3))
    return [Row("full_vs_shell", f"a bare visit: full Chromium vs the headless shell (wall; peak PSS {mem:.0f} vs "
                f"{mem_shell:.0f} MB)", full, bare_shell, "s", "none", True, round(full / bare_shell, 4))]


def bench_multi_profile() -> list[Row]:
    """20 profiles in one `ssi collect --all`, per profile, against one single `ssi collect`: each
    profile opens its own browser profile, so the batch saves only the starts it can share."""
    with collect_setup() as (site, env, _):
        profiles = Path(env["SSI_DATA_DIR"]) / "profiles"
        for i in range(20):
            folder = profiles / f"p{i:02d}"
            folder.mkdir(mode=0o700)
            (folder / "state.json").write_text(json.dumps(site.storage_state()))
        names = [arg for i in range(20) for arg in ("--profile", f"p{i:02d}")]
        batch, single = alternate(lambda: run([SSI, "collect", "--all", "--force", *names], env),
                                  lambda: run([SSI, "collect", "--force"], env), 2)
    per = batch / 20
    return [Row("multi_profile_s_per_profile", "ssi collect --all, 20 profiles: s per profile vs one collect", per,
                single, "s", "<= 1", per / single <= 1, round(per, 4))]


def bench_cli_and_history() -> list[Row]:
    from collector.demo.history import generate
    from collector.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "decade.db"
        store = Store(db)
        for i in range(20):
            generate(store, f"demo-{i:02d}", days=3650, end=date.today(), seed=i)
        store.close()
        env = {**os.environ, "SSI_DATA_DIR": str(Path(tmp) / "data"), "SSI_DB": str(db)}
        start, python = alternate(lambda: run([SSI, "--help"], env), lambda: run([sys.executable, "-c", "pass"], env),
                                  15)
        history, _ = alternate(lambda: run([SSI, "--profile", "demo-07", "history", "--days", "3650"], env),
                               lambda: None, 7)
    return [
        Row("cli_start_ms", "ssi --help vs bare python start", start * 1000, python * 1000, "ms", "<= 300 ms",
            start * 1000 <= 300, round(start * 1000, 1)),
        # A ratio to `ssi --help` measured in the same run: milliseconds do not hold across machines.
        Row("history_vs_help", "ssi history --days 3650 (20 profiles × 10 years) vs ssi --help", history * 1000,
            start * 1000, "ms", "<= 3", history / start <= 3, round(history / start, 4)),
    ]


def bench_reparse() -> list[Row]:
    """`ssi reparse` over 3,650 archived pages (page and API answer each), against parsing the same
    pages in a loop with no database. The pages are full-weight 2026 pages stored as the collector
    stores them (scripts removed: about 110 KB each)."""
    import copy
    import random

    import parsers
    from collector.browser.redact import strip_scripts
    from collector.store import Store
    from collector.standin import render
    from collector.standin import DEFAULT_BODY

    rnd = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "archive.db"
        store = Store(db)
        pairs = []
        with store.transaction():
            for i in range(3650):
                body = copy.deepcopy(DEFAULT_BODY)
                for sub in body["memberScore"]["subScores"]:
                    sub["score"] = round(rnd.uniform(2, 24), 6)
                body["memberScore"]["overall"] = round(sum(s["score"] for s in body["memberScore"]["subScores"]), 6)
                page, api = strip_scripts(render.render_2026(body, realistic=True)), json.dumps(body)
                pairs.append((api.encode(), page.encode()))
                snap = parsers.parse_capture(api.encode(), page.encode())
                day = date.fromordinal(date(2016, 1, 1).toordinal() + i).isoformat()
                raw = store.save_raw("page", "x", page, day)
                api_raw = store.save_raw("api", "y", api, day)
                store.save_snapshot("p", snap, day + "T09:00:00+00:00", day, raw_id=raw, api_raw_id=api_raw,
                                    run_id=None)
        store.close()
        env = {**os.environ, "SSI_DATA_DIR": str(Path(tmp) / "data"), "SSI_DB": str(db)}
        ours, baseline = alternate(lambda: run([SSI, "reparse"], env),
                                   lambda: [parsers.parse_capture(a, p) for a, p in pairs], 3)
    rate, base_rate = 3650 / ours, 3650 / baseline
    return [Row("reparse_pages_per_s", f"ssi reparse, 3,650 archived pages ({len(pairs[0][1]) // 1024} KB each): "
                "pages/s vs parsing alone", rate, base_rate, "/s", ">= 200", rate >= 200, round(rate, 1))]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def bench_daemon() -> list[Row]:
    """Resident memory of `ssi schedule` once its first scheduled run is over and no browser is left,
    next to an idle bare Python interpreter."""
    from collector.standin import StandIn

    with tempfile.TemporaryDirectory() as tmp, StandIn(mode="ok", strict=False) as site:
        data = Path(tmp) / "data"
        (data / "profiles" / "default").mkdir(parents=True)
        (data / "profiles" / "default" / "state.json").write_text(json.dumps(site.storage_state()))
        env = {**os.environ, "SSI_DATA_DIR": str(data), "SSI_DB": str(Path(tmp) / "d.db"), "SSI_BASE_URL": site.url}
        daemon = subprocess.Popen([SSI, "schedule", "--at", "00:00", "--jitter", "0", "--heartbeat", "0.5"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        bare = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        try:
            deadline = time.monotonic() + 60
            log = data / "logs" / "ssi.log"
            while not (log.exists() and "status=ok" in log.read_text()):
                if time.monotonic() > deadline:
                    raise RuntimeError("the daemon's scheduled run did not finish")
                time.sleep(0.2)
            while len(_tree(daemon.pid)) > 1:
                time.sleep(0.1)
            time.sleep(2)  # a few idle heartbeats
            ours, baseline = _rss_mb(daemon.pid), _rss_mb(bare.pid)
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.communicate(timeout=30)
            bare.kill()
            bare.wait()
    return [Row("daemon_idle_rss_mb", "ssi schedule idle after one run (RSS) vs an idle bare python",
                ours, baseline, "MB", "<= 80 MB", ours <= 80, round(ours, 1))]


BENCHMARKS: list[Callable[[], list[Row]]] = [
    bench_parse, bench_collect, bench_full_vs_shell, bench_multi_profile, bench_cli_and_history, bench_reparse,
    bench_daemon,
]


def main() -> int:
    started = time.perf_counter()
    only = set(sys.argv[1:])
    rows = [row for bench in BENCHMARKS if not only or bench.__name__ in only for row in bench()]
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"ssi-collector benchmarks ({platform.node()}, Python {platform.python_version()}, "
                        f"{time.perf_counter() - started:.0f} s)")
    for column in ("figure", "ours", "baseline", "ratio", "target", "result"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for row in rows:
        table.add_row(
            row.figure, f"{row.ours:.2f} {row.unit}",
            f"{row.baseline:.2f} {row.unit}" if row.baseline is not None else "—",
            f"{row.ratio:.3f}" if row.ratio is not None else "—",
            row.target, "[green]pass[/]" if row.passed else "[red]FAIL[/]",
        )
    Console(width=130).print(table)
    results: dict[str, Any] = {row.key: row.result for row in rows}
    results["details"] = [asdict(row) | {"ratio": row.ratio} for row in rows]
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(row.passed for row in rows) else 1


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
