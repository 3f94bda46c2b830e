"""Keep start-up light: sqlite-utils imports numpy and pandas when they are installed (to convert
their types), which costs about 50 ms at every `ssi` command once matplotlib (the `chart`
extra) has brought numpy along. We never hand it numpy values, so it is imported without them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

_HIDDEN = ("numpy", "pandas")


@contextmanager
def without_numpy() -> Iterator[None]:
    """Make ``import numpy`` / ``import pandas`` fail inside the block, unless already imported;
    afterwards they import normally again (for `ssi chart`)."""
    hidden = [name for name in _HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # the documented way to block an import
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
