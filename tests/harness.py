"""The `ssi` command with the store hooks some fault tests need, handed in rather than read from
the environment by the product (collector.store.StoreHooks):

    python tests/harness.py [--pause-before-commit FILE] [--max-pages N] [--busy-ms MS] -- ssi's arguments...

--pause-before-commit FILE: inside the transaction that stores a collection, after every row is
written and before the commit, create FILE and wait a minute (for the test's SIGKILL);
--max-pages N: let the database grow to N pages at most, as a full disk would;
--busy-ms MS: wait this long for another program's write lock (instead of 10 s).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> None:
    from collector.cli import main as ssi
    from collector.store import StoreHooks

    split = argv.index("--")
    options, args = argv[:split], argv[split + 1:]
    marker: Path | None = None
    pages: int | None = None
    busy_ms = 10_000
    while options:
        name, value, options = options[0], options[1], options[2:]
        if name == "--pause-before-commit":
            marker = Path(value)
        elif name == "--max-pages":
            pages = int(value)
        elif name == "--busy-ms":
            busy_ms = int(value)
        else:
            raise SystemExit(f"harness: unknown option {name}")

    def pause() -> None:
        assert marker is not None
        marker.touch()
        time.sleep(60)

    ssi(args, prog_name="ssi", obj=StoreHooks(before_commit=pause if marker else None, max_pages=pages,
                                                 busy_ms=busy_ms))


if __name__ == "__main__":
    main(sys.argv[1:])
