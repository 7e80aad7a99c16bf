"""Write the issue forms (.github/ISSUE_TEMPLATE/) from the schemas, or check they match.

Exit status: 0 written or matching, 1 with --check when a form differs from the schemas.
"""

from __future__ import annotations

import argparse
import re

from bots.commands.common import load_schemas, registry_root
from bots.core.errors import RegistryError
from bots.core.fileio import write_atomic
from bots.intake.forms import FORMS_DIR
from bots.intake.formtemplates import all_files, configured_repository


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on drift")
    parser.add_argument(
        "--repository",
        metavar="OWNER/NAME",
        help="the GitHub repository, for config.yml's link to CONTRIBUTING.md (default: the "
        "one config.yml already names)",
    )


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    config = root / FORMS_DIR / "config.yml"
    repository = args.repository or (
        configured_repository(config.read_text(encoding="utf-8")) if config.is_file() else None
    )
    if repository is not None and not re.fullmatch(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", repository):
        raise RegistryError("usage.repository", f"--repository '{repository}' is not OWNER/NAME")
    stale = 0
    for relpath, text in all_files(load_schemas(root), repository).items():
        path = root / relpath
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale += 1
        if args.check:
            print(f"{relpath}: differs from the schemas — run `registry forms`")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text)
            print(f"{relpath}: written")
    return 1 if args.check and stale else 0
