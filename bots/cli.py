"""The `registry` command line: parses arguments and dispatches to one module per verb.

Only the chosen verb's module is imported (its arguments are needed to parse the rest), so a
one-file `registry validate` never pays for the GitHub, Hub, plotting or database libraries
other verbs use. A verb reports a failure by raising a RegistryError (bots/core/errors.py); `main`
alone turns it into one line on stderr and the exit status its code gives."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Collection, Sequence
from importlib import import_module

from bots import __version__
from bots.core.errors import Exit, RegistryError
from bots.core.findings import one_line

VERBS = {
    "validate": "schema and cross-entry checks of entries",
    "fmt": "rewrite entries in the canonical layout (comments kept)",
    "new": "write a skeleton entry to fill in",
    "diff": "field-by-field changes to entries between two git revisions",
    "pr-report": "validate and diff a pull request; write report.json and comment.md",
    "comment": "post or update the sticky PR comment from a report (GitHub)",
    "autofill": "fill and refresh the hub: block from the Hugging Face Hub",
    "open-pr": "commit bot changes to a branch and open or update its pull request",
    "forms": "write the issue forms from the schemas (or --check them)",
    "submit": "turn an issue-form submission into a validated pull request",
    "refresh-scores": "refresh the bot-owned scores a leaderboard feeds into entries",
    "refresh-offerings": "refresh the bot-owned API offerings and prices from models.dev",
    "import": "bring an existing collection in (fills empty fields, never overwrites)",
    "build": "master tables, exports and a DuckDB database built from the entries",
}
MODULES = {"import": "import_entries"}
ROOT_OPTION = "--root"


def module_name(verb: str) -> str:
    return f"bots.commands.{MODULES.get(verb, verb.replace('-', '_'))}"


def build_parser(load: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The parser; `load` names the verbs whose modules are imported for their arguments
    (default: all). The other verbs are listed with their help but take no arguments, so
    `registry --help` and `registry validate FILE` import no other verb's module."""
    parser = argparse.ArgumentParser(
        prog="registry",
        description="Check and maintain a model-registry: models, datasets, organizations "
        "and leaderboards as YAML entries.",
    )
    parser.add_argument("--version", action="version", version=f"registry {__version__}")
    parser.add_argument(
        ROOT_OPTION,
        help="the registry folder (default: the nearest folder "
        "above the current one that holds entries/)",
    )
    sub = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for verb, help_text in VERBS.items():
        if load is not None and verb not in load:
            sub.add_parser(verb, help=help_text)
            continue
        module = import_module(module_name(verb))
        verb_parser = sub.add_parser(verb, help=help_text, description=module.__doc__)
        module.add_arguments(verb_parser)
        verb_parser.set_defaults(run=module.run)
    return parser


def verb_of(argv: Sequence[str]) -> str | None:
    """The verb an argument list names: its first argument that is neither an option nor the
    value of --root (abbreviations included, as argparse accepts them)."""
    takes_value = False
    for i, arg in enumerate(argv):
        if takes_value:
            takes_value = False
        elif arg == "--":
            return argv[i + 1] if i + 1 < len(argv) else None
        elif arg.startswith("-"):
            takes_value = len(arg) > 2 and "=" not in arg and ROOT_OPTION.startswith(arg)
        else:
            return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    verb = verb_of(arguments)
    parser = build_parser(load=[verb] if verb in VERBS else [])
    args = parser.parse_args(arguments)
    if not hasattr(args, "run"):  # the verb was not where verb_of looked: load it and parse again
        args = build_parser(load=[args.verb]).parse_args(arguments)
    try:
        return int(args.run(args))
    except RegistryError as exc:  # the one place a failure becomes a line and an exit status
        print(one_line(f"registry {args.verb}: {exc}"), file=sys.stderr)
        return int(exc.status)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return int(Exit.FAILED)
    except Exception as exc:  # an internal error: exit 2, never a half-finished "findings" 1
        if os.environ.get("REGISTRY_DEBUG"):
            traceback.print_exc()
            return int(Exit.USAGE)
        print(
            f"registry {args.verb}: internal error: {type(exc).__name__}: {exc} — rerun with "
            "REGISTRY_DEBUG=1 for the traceback and report it",
            file=sys.stderr,
        )
        return int(Exit.USAGE)
