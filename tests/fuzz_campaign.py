"""`make fuzz`: a long campaign against the parsers (default 100,000 inputs).

Inputs are the fixture corpus, mutated: bytes flipped, cut, repeated and spliced between files;
numbers swapped for edge values; tags renamed; JSON bodies rebuilt with random subtrees.
Each input is parsed with a clock running. A crash is anything but ParseError (or a ParseError
the parser files as its own internal error); a hang is any input over 1 s. Crashing and slow
inputs are written to fuzz-findings/ to reproduce with `ssi parse FILE`.

Not collected by pytest (its bounded cousin is tests/test_parse_fuzz.py).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FINDINGS = ROOT / "fuzz-findings"
SLOW = 1.0
NUMBER = re.compile(rb"-?\d+(?:[.,]\d+)?")
EDGES = [b"-1", b"0", b"25", b"25.0001", b"26", b"100", b"101", b"1e308", b"1e999", b"NaN", b"-0", b"9" * 60,
         b"0.000000001", b"1,5", b"", b"Infinity", b"\x00", b"%", b"|"]
TAGS = [b"progress", b"table", b"tr", b"th", b"td", b"span", b"code", b"section", b"div", b"p", b"h2", b"iframe",
        b"form", b"svg", b"script", b"style", b"template"]


class Alarm(Exception):
    pass


def _seeds() -> list[bytes]:
    corpus = ROOT / "fixtures" / "corpus"
    return [p.read_bytes() for p in sorted(corpus.iterdir()) if not p.name.endswith(".expected.json")]


def _json_mutant(rnd: random.Random, data: Any, depth: int = 0) -> Any:
    if depth > 6 or rnd.random() < 0.15:
        return rnd.choice([None, True, 0, -1, 26, 101, 1e308, 0.29999998, "", "PROFESSIONAL_BRAND", "INDUSTRY",
                           [], {}, [1, 2], {"pillar": "FIND_RIGHT_PEOPLE", "score": 30}])
    if isinstance(data, dict):
        out = {k: _json_mutant(rnd, v, depth + 1) if rnd.random() < 0.3 else v for k, v in data.items()}
        if out and rnd.random() < 0.2:
            del out[rnd.choice(list(out))]
        return out
    if isinstance(data, list):
        out = [_json_mutant(rnd, v, depth + 1) if rnd.random() < 0.3 else v for v in data]
        if out and rnd.random() < 0.2:
            out.append(rnd.choice(out))
        rnd.shuffle(out)
        return out
    return data


def mutate(rnd: random.Random, seeds: list[bytes]) -> bytes:
    data = bytearray(rnd.choice(seeds))
    if data[:1] == b"{" and rnd.random() < 0.4:
        try:
            return json.dumps(_json_mutant(rnd, json.loads(data))).encode()
        except ValueError:
            pass
    for _ in range(rnd.randint(1, 8)):
        size = len(data)
        how = rnd.randrange(8)
        i = rnd.randrange(size + 1)
        j = min(size, i + rnd.randint(0, 256))
        if how == 0 and size:
            data[rnd.randrange(size)] = rnd.randrange(256)
        elif how == 1:
            del data[i:j]
        elif how == 2:
            data[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
        elif how == 3:
            data[j:j] = data[i:j] * rnd.randint(1, 4)
        elif how == 4:
            spots = list(NUMBER.finditer(data))
            if spots:
                m = rnd.choice(spots)
                data[m.start():m.end()] = rnd.choice(EDGES)
        elif how == 5:
            old, new = rnd.choice(TAGS), rnd.choice(TAGS)
            data = bytearray(bytes(data).replace(old, new, rnd.randint(1, 3)))
        elif how == 6:
            other = rnd.choice(seeds)
            k = rnd.randrange(len(other) + 1)
            data[i:j] = other[k:k + rnd.randint(0, 2048)]
        else:
            data[i:i] = rnd.choice([b"<div>" * 50, b"</table>", b"<!--", b"]]>", b"\xef\xbb\xbf", b"&#x0;"])
    return bytes(data)


def _alarm(signum: int, frame: Any) -> None:
    raise Alarm()


def work(args: tuple[int, int]) -> dict[str, Any]:
    """Run ``count`` inputs from ``seed``; return the tallies and the worst cases."""
    seed, count = args
    import parsers

    signal.signal(signal.SIGALRM, _alarm)
    rnd = random.Random(seed)
    seeds = _seeds()
    tally: Counter[str] = Counter()
    slowest = (0.0, b"")
    findings: list[tuple[str, bytes]] = []
    for _ in range(count):
        data = mutate(rnd, seeds)
        signal.alarm(10)  # a true hang still ends, and counts
        start = time.perf_counter()
        try:
            parsers.parse(data)
            outcome = "parsed"
        except parsers.NotSsiPage:
            outcome = "not the SSI page"
        except parsers.ParseError as exc:
            outcome = "internal error" if exc.field == "internal" else "parse error"
        except Alarm:
            outcome = "hang"
        except Exception as exc:  # the campaign's whole point
            outcome = f"crash: {type(exc).__name__}"
        finally:
            signal.alarm(0)
        elapsed = time.perf_counter() - start
        if elapsed > SLOW and outcome != "hang":
            outcome = "hang"
        tally[outcome] += 1
        if elapsed > slowest[0]:
            slowest = (elapsed, data)
        if outcome == "hang" or outcome.startswith(("crash", "internal")):
            findings.append((outcome, data))
    return {"tally": tally, "slowest": slowest, "findings": findings[:20]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count())
    args = parser.parse_args()
    chunks = 4 * args.workers
    jobs = [(args.seed + i, args.inputs // chunks + (1 if i < args.inputs % chunks else 0)) for i in range(chunks)]
    started = time.perf_counter()
    with multiprocessing.Pool(args.workers) as pool:
        results = pool.map(work, jobs)
    elapsed = time.perf_counter() - started
    tally: Counter[str] = Counter()
    for result in results:
        tally.update(result["tally"])
    slowest = max((r["slowest"] for r in results), key=lambda s: s[0])
    findings = [f for r in results for f in r["findings"]]
    total = sum(tally.values())
    print(f"{total:,} inputs in {elapsed:.0f} s ({total / elapsed:,.0f}/s, {args.workers} workers, seed {args.seed})")
    for outcome, count in tally.most_common():
        print(f"  {outcome:<22} {count:>9,}")
    print(f"  slowest input: {slowest[0] * 1000:.1f} ms ({len(slowest[1]):,} bytes)")
    bad = sum(count for outcome, count in tally.items() if outcome == "hang" or outcome.startswith(("crash",
                                                                                                     "internal")))
    if findings:
        FINDINGS.mkdir(exist_ok=True)
        for n, (outcome, data) in enumerate(findings):
            (FINDINGS / f"{n:03d}-{outcome.replace(':', '').replace(' ', '-')}.bin").write_bytes(data)
        print(f"  {len(findings)} findings written to {FINDINGS}")
    print(f"crashes and hangs: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
