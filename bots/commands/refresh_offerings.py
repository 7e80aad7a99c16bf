"""Refresh the bot-owned API offerings of model entries from models.dev (MIT licence).

Reads models.dev — a checkout or extracted archive given with --from PATH, or by default the
public repository (anomalyco/models.dev) through the GitHub API: its newest commit is asked for
first, and when every provider entry already records that commit nothing else is read. Each
provider becomes an entry under entries/providers/; each offering is put on the model it is
an offering of (see bots/sync/offerings.py for how, and what is never guessed); models.dev's
models with no entry get one, and empty people-owned fields are filled, citing models.dev.

Exit status: 0 done or nothing to do, 1 the source could not be read, 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from bots.commands.common import iso_date, load_schemas, registry_root
from bots.core.errors import RegistryError
from bots.core.fileio import write_atomic
from bots.core.findings import one_line

DEFAULT_UPSTREAM = "anomalyco/models.dev"
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
SHA = re.compile(r"^[0-9a-f]{40}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="local",
        type=Path,
        metavar="PATH",
        help="a models.dev checkout or extracted archive (default: the public repository)",
    )
    parser.add_argument(
        "--upstream", default=DEFAULT_UPSTREAM, help=f"the repository (default {DEFAULT_UPSTREAM})"
    )
    parser.add_argument("--ref", help="the branch or commit to read (default: its default branch)")
    parser.add_argument(
        "--revision", help="the commit a --from folder was taken at (default: found, or a digest)"
    )
    parser.add_argument("--revision-date", type=iso_date, help="that commit's date")
    parser.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    parser.add_argument("--force", action="store_true", help="read every provider again")
    parser.add_argument("--summary", type=Path, metavar="FILE", help="write a Markdown summary")
    parser.add_argument("--today", type=iso_date, default=None, help="the date sources record")


def run(args: argparse.Namespace) -> int:
    from bots.intake.importers import Importer
    from bots.sync.modelsdev import SnapshotError, check_snapshot, revision_of
    from bots.sync.offerings import OfferingsRefresh

    root = registry_root(args)
    schemas = load_schemas(root)
    today = args.today or dt.datetime.now(dt.UTC).date()
    if args.revision is not None and not SHA.match(args.revision):
        raise RegistryError("usage.arguments", "--revision takes a 40-hex git commit sha")
    importer = Importer(root, schemas, today, dry_run=args.dry_run)
    with tempfile.TemporaryDirectory(prefix="models-dev-") as scratch:
        if args.local is not None:
            if not args.local.is_dir():
                raise RegistryError("usage.path", f"{args.local}: no such folder")
            folder = args.local
            revision = revision_of(folder, today, args.revision, args.revision_date)
        else:
            fetched = _fetch(args, importer, Path(scratch))
            if fetched is None:
                print("models.dev: unchanged since the last refresh; nothing read")
                _summary(args, None)
                return 0
            folder, revision = fetched
        try:
            check_snapshot(folder)
        except SnapshotError as exc:
            raise RegistryError("usage.path", str(exc)) from exc
        report = OfferingsRefresh(importer, folder, revision, force=args.force).run()
    importer.finish()
    for line in lines(report, importer):
        print(one_line(line))
    _summary(args, report, revision)
    if args.dry_run:
        print("dry run: nothing was written")
    return 0


def _fetch(args: argparse.Namespace, importer: Any, scratch: Path) -> tuple[Path, Any] | None:
    """The newest models.dev, extracted under `scratch`; None when every provider entry
    already records its commit."""
    import requests
    from github import Auth, Github, GithubException

    from bots.core.entries import ENTRIES_DIR, SUFFIX, EntryKind, EntryRef
    from bots.sync.modelsdev import Revision

    api = os.environ.get("GITHUB_API_URL", "https://api.github.com")
    token = os.environ.get("GITHUB_TOKEN")
    github = Github(base_url=api, auth=Auth.Token(token) if token else None, retry=None)
    try:
        repo = github.get_repo(args.upstream)
        commit = repo.get_commit(args.ref or repo.default_branch)
        sha = commit.sha
        date = commit.commit.committer.date.date()
        known = set()
        for relpath in importer.files.walk(f"{ENTRIES_DIR}/{EntryKind.PROVIDER.folder}"):
            name = relpath.rsplit("/", 1)[-1][: -len(SUFFIX)]
            data = importer.current(EntryRef(EntryKind.PROVIDER, name)) or {}
            known.add((data.get("refreshed") or {}).get("snapshot"))
        if known == {sha} and not args.force:
            return None
        url = repo.get_archive_link("tarball", sha)
    except GithubException as exc:
        raise RegistryError(
            "refresh.source",
            f"{args.upstream}: GitHub answered {exc.status} — check the repository name, or "
            "pass --from a checkout",
        ) from exc
    except requests.RequestException as exc:
        raise RegistryError(
            "refresh.source", f"{args.upstream}: GitHub cannot be reached ({exc}) — retry later"
        ) from exc
    archive = scratch / "models.dev.tar.gz"
    try:
        with requests.get(url, stream=True, timeout=60) as answer:
            answer.raise_for_status()
            size = 0
            with archive.open("wb") as out:
                for chunk in answer.iter_content(1 << 16):
                    size += len(chunk)
                    if size > MAX_ARCHIVE_BYTES:
                        raise RegistryError(
                            "refresh.source",
                            f"{args.upstream}: the archive passes {MAX_ARCHIVE_BYTES >> 20} MiB; "
                            "refused",
                        )
                    out.write(chunk)
    except requests.RequestException as exc:
        raise RegistryError(
            "refresh.source", f"{args.upstream}: the archive could not be read ({exc})"
        ) from exc
    folder = scratch / "snapshot"
    folder.mkdir()
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")  # no absolute paths, no links out
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise RegistryError(
            "refresh.source", f"{args.upstream}: the archive is not a tar.gz ({exc})"
        ) from exc
    tops = [p for p in folder.iterdir() if p.is_dir()]
    if len(tops) != 1:
        raise RegistryError("refresh.source", f"{args.upstream}: the archive has no single folder")
    return tops[0], Revision(sha, date)


def lines(report: Any, importer: Any) -> list[str]:
    """What the refresh did, a line each: changes first, then what it could not do."""
    out = []
    for change in report.changes:
        where = f"{change.model}: {change.provider} {change.offering}"
        if change.field in ("new", "withdrawn", "back"):
            word = {"new": "new offering", "withdrawn": "withdrawn", "back": "offered again"}
            out.append(f"{where}: {word[change.field]}")
        else:
            out.append(f"{where}: {change.field} {change.old} → {change.new}")
    for model in report.new_models:
        out.append(f"new model: {model}")
    for provider in report.new_providers:
        out.append(f"new provider: {provider}")
    for conflict in importer.report.conflicts:
        out.append(f"conflict (kept): {conflict}")
    for skipped in importer.report.skipped[:50]:
        out.append(f"skipped {skipped[0]}: {skipped[1]}")
    for path, why in report.problems:
        out.append(f"{path}: {why}")
    for reason, count in report.unmapped.most_common():
        examples = ", ".join(report.unmapped_examples[reason])
        out.append(f"{count} offerings not mapped: {reason} (e.g. {examples})")
    out.append(
        f"{report.providers_read} providers read, {report.providers_unchanged} unchanged; "
        f"{report.offerings_mapped} offerings on models; {len(report.changes)} changes; "
        f"{len(report.new_models)} new models; {sum(report.unmapped.values())} not mapped"
    )
    return out


def _summary(args: argparse.Namespace, report: Any, revision: Any = None) -> None:
    if args.summary is None:
        return
    from bots.sync.offerings import summary_markdown

    write_atomic(args.summary, summary_markdown(report, revision))
    print(f"summary written to {args.summary}", file=sys.stderr)
