"""One module per `registry` verb: `add_arguments(parser)` and `run(args) -> exit code`."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_paths_argument(
    parser: argparse.ArgumentParser,
    help_text: str = "entry files or folders (default: all of entries/)",
) -> None:
    """The optional entry files or folders a verb works on; `help_text` says what none means."""
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=help_text)
