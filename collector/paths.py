"""Where things live: the user data folder (platformdirs), or SSI_DATA_DIR when set.

<data>/ssi.db            the default database
<data>/profiles/<name>/  one browser profile per LinkedIn account (mode 0700)
<data>/artifacts/        screenshot and page of failed runs, secrets removed
<data>/locks/            one lock per profile, one per scheduled database
logs: platformdirs' user log folder (or <data>/logs with SSI_DATA_DIR)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

APP = "ssi-collector"
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def data_dir() -> Path:
    """The folder for everything ssi-collector keeps (history, sessions): the owner's only."""
    custom = os.environ.get("SSI_DATA_DIR")
    if custom:
        return private_dir(Path(custom).expanduser())
    from platformdirs import user_data_path

    return private_dir(user_data_path(APP, appauthor=False))


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only, and tighten it if it exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def default_db() -> Path:
    return data_dir() / "ssi.db"


def check_profile_name(name: str) -> str:
    """Profile names become folder names: keep them to letters, digits, dot, dash, underscore."""
    if not _PROFILE_NAME.fullmatch(name):
        raise ValueError(
            f"profile name {name!r} must be 1-64 letters, digits, '.', '-' or '_', starting with a letter or digit"
        )
    return name


def profiles_dir() -> Path:
    return data_dir() / "profiles"


def profile_dir(name: str) -> Path:
    return profiles_dir() / check_profile_name(name)


def artifacts_dir() -> Path:
    return data_dir() / "artifacts"


def log_dir() -> Path:
    """platformdirs' log folder, or <data>/logs when SSI_DATA_DIR is set."""
    if os.environ.get("SSI_DATA_DIR"):
        return private_dir(data_dir() / "logs")
    from platformdirs import user_log_path

    return private_dir(user_log_path(APP, appauthor=False))


def lock_path(name: str) -> Path:
    return data_dir() / "locks" / f"{check_profile_name(name)}.lock"
