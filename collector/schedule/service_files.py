"""Run `ssi schedule` as a service: a systemd user unit, or a launchd LaunchAgent.

Both run the daemon with the options it was given, restart it when it fails, and are written
readable by the owner only (notification URLs often carry tokens).
"""

from __future__ import annotations

import os
import plistlib
import re
import sys
from pathlib import Path

NAME = "ssi-collector"
LABEL = "io.github.ssi-collector.schedule"
_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


def daemon_command(options: list[str], global_options: list[str]) -> list[str]:
    """The command line the service runs: this installation's `ssi`, absolute paths only."""
    ssi = Path(sys.executable).with_name("ssi")
    program = [str(ssi)] if ssi.exists() else [sys.executable, "-m", "collector.cli"]
    return [*program, *global_options, "schedule", *options]


def _systemd_word(arg: str) -> str:
    # systemd expands % specifiers and $ variables in ExecStart: double them to keep them literal.
    text = arg.replace("%", "%%").replace("$", "$$")
    if _PLAIN.fullmatch(arg):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_unit(command: list[str], env: dict[str, str]) -> str:
    lines = [
        "[Unit]",
        "Description=ssi-collector: a daily snapshot of your LinkedIn Social Selling Index",
        "After=network-online.target",
        "Wants=network-online.target",
        "",
        "[Service]",
        "Type=simple",
        "ExecStart=" + " ".join(_systemd_word(word) for word in command),
        *(f"Environment={_systemd_word(f'{key}={value}')}" for key, value in sorted(env.items())),
        "Restart=on-failure",
        "RestartSec=60",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
    ]
    return "\n".join(lines)


def launchd_plist(command: list[str], env: dict[str, str], log_folder: Path) -> bytes:
    agent: dict[str, object] = {
        "Label": LABEL,
        "ProgramArguments": command,
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},  # restart when it fails, not after a clean stop
        "StandardOutPath": str(log_folder / "launchd.out.log"),
        "StandardErrorPath": str(log_folder / "launchd.err.log"),
        "ProcessType": "Background",
    }
    if env:
        agent["EnvironmentVariables"] = dict(sorted(env.items()))
    return plistlib.dumps(agent)


def target(kind: str) -> Path:
    home = Path.home()
    if kind == "systemd":
        config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        return config / "systemd" / "user" / f"{NAME}.service"
    return home / "Library" / "LaunchAgents" / f"{LABEL}.plist"


def how_to_enable(kind: str, path: Path) -> str:
    if kind == "systemd":
        return (f"Enable it with:\n  systemctl --user daemon-reload && systemctl --user enable --now {NAME}.service\n"
                f"Keep it running while you are logged out:  loginctl enable-linger $USER\n"
                f"Its log:  journalctl --user -u {NAME}")
    return (f"Enable it with:\n  launchctl bootstrap gui/$(id -u) {path}\n"
            f"Stop it with:\n  launchctl bootout gui/$(id -u) {path}")


def install(kind: str, content: str | bytes) -> Path:
    path = target(kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)
    return path
