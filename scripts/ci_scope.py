"""Which checks a change needs: ci.yml's full suite, or only validate.yml's verdict.

A pull request that changes nothing but entry files (`entries/**/*.yaml`, none hidden) is
checked by validate.yml (schema, cross-entry rules, the diff and the comment); the full suite
runs when anything else changes (code, schemas, workflows, tests, docs, packaging, a
`.gitattributes` under entries/), on every push to a branch, and
whenever the changed paths cannot be read. It prints the changed paths' verdict and writes
`suite=true|false` to $GITHUB_OUTPUT when that is set.

    python3 scripts/ci_scope.py --event pull_request [--base REV] [--head REV] [--repo DIR]

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterable

ENTRIES = "entries/"


def is_entry(path: str) -> bool:
    """An entry file: `entries/…/<name>.yaml` with no hidden part. A `.gitattributes` or any
    other file under entries/ can change how every entry reads, so it is not one."""
    parts = path.split("/")
    return (
        path.startswith(ENTRIES)
        and path.endswith(".yaml")
        and not any(part.startswith(".") or not part for part in parts)
    )


def needs_full_suite(paths: Iterable[str]) -> bool:
    """True unless there are changed paths and every one of them is an entry file."""
    listed = list(paths)
    return not listed or any(not is_entry(path) for path in listed)


def changed_paths(repo: str, base: str, head: str) -> list[str] | None:
    """Paths that differ between two commits (renames as both sides), or None when git cannot
    tell (a shallow clone without the base, say)."""
    for rev in (base, head):
        if rev.startswith("-"):
            return None
    done = subprocess.run(
        ["git", "diff", "--name-only", "--no-renames", "-z", base, head, "--"],
        cwd=repo,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    return [p for p in done.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--event", required=True, help="github.event_name")
    parser.add_argument(
        "--base", default="HEAD^1", help="default: the merge commit's first parent (the base)"
    )
    parser.add_argument("--head", default="HEAD", help="default: the merge commit")
    parser.add_argument("--repo", default=".", help="the checkout (default: here)")
    args = parser.parse_args(argv)
    if args.event != "pull_request":
        suite, why = True, f"a {args.event} event runs the full suite"
    else:
        paths = changed_paths(args.repo, args.base, args.head)
        if paths is None:
            suite, why = True, "the changed paths could not be read: running the full suite"
        elif needs_full_suite(paths):
            others = [p for p in paths if not is_entry(p)]
            # quoted: a file name is contributor text and must not start a workflow command
            shown = ", ".join(json.dumps(p) for p in others[:5]) + (
                f" and {len(others) - 5} more" if len(others) > 5 else ""
            )
            suite, why = True, f"changes beyond entry files ({shown or 'none listed'}): full suite"
        else:
            count = f"{len(paths)} changed entr{'y' if len(paths) == 1 else 'ies'}"
            suite, why = False, f"{count} and nothing else: validate.yml gives the verdict"
    print(why)
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as handle:
            handle.write(f"suite={'true' if suite else 'false'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
