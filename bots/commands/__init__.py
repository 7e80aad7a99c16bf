"""One module per `registry` verb: `add_arguments(parser)` and `run(args) -> exit code`."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_paths_argument(parser: argparse.ArgumentParser) -> None:
    """The optional entry files or folders a verb works on (default: all of entries/)."""
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="entry files or folders (default: all of entries/)",
    )
