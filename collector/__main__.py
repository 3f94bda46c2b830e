"""`python -m collector`: the `ssi` command (the scheduler runs its collections this way)."""

from .cli import main

main(prog_name="ssi")
