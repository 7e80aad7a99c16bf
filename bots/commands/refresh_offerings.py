"""Refresh the bot-owned API offerings of model entries from models.dev (MIT licence).

Reads models.dev — a checkout or extracted archive given with --from PATH, or by default the
public repository (anomalyco/models.dev) through the GitHub API: its newest commit is asked for
first, and when it is the newest commit the provider entries record nothing else is read. Each
provider becomes an entry under entries/providers/; each offering is put on the model it is
an offering of (see bots/sync/offerings.py for how, and what is never guessed); models.dev's
models with no entry get one, and empty people-owned fields are filled, citing models.dev.

Exit status: 0 done or nothing to do, 1 the source could not be read or an entry's offerings
could not be written (its providers are read again next time), 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
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
    importer.speaker = "models.dev says"
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
    if report.failed:
        print(
            f"{len(report.failed)} models' offerings were not written (their entries would be "
            "refused: see 'skipped' above); their providers are read again next time",
            file=sys.stderr,
        )
        return 1
    return 0


def _fetch(args: argparse.Namespace, importer: Any, scratch: Path) -> tuple[Path, Any] | None:
    """The newest models.dev, extracted under `scratch`; None when the registry already holds
    it.

    A refresh reads every provider and records its commit on the provider entries that changed,
    so the entries hold, in full, the snapshot of the newest commit they record (by its date).
    When that commit alone is upstream's newest, only that commit was asked for. Otherwise the
    commit's archive is downloaded (at most MAX_ARCHIVE_BYTES) and its models/ and providers/
    extracted, after every member passed tarfile's data filter (bots/remote/upstream.py)."""
    from bots.remote.upstream import SourceRepository, download, unpack
    from bots.sync.modelsdev import Revision

    source = SourceRepository.from_env(args.upstream)
    newest = source.newest_commit(args.ref)
    if not args.force and _newest_recorded(importer) == {newest.sha}:
        return None
    what = f"{args.upstream}'s archive of {newest.sha[:12]}"
    archive = scratch / "models.dev.tar.gz"
    download(
        source.archive_url(newest.sha),
        archive,
        max_bytes=MAX_ARCHIVE_BYTES,
        what=what,
        retry=source.retry,
        hint="rerun later, or pass --from a checkout",
    )
    folders = ("models", "providers")
    top = unpack(archive, scratch / "snapshot", keep=folders, what=what, sha=newest.sha)
    archive.unlink()
    return top, Revision(newest.sha, newest.date)


def _newest_recorded(importer: Any) -> set[str]:
    """The models.dev commits the provider entries record with the newest date; none when an
    entry records no commit (a hand-written one: only reading upstream tells)."""
    from bots.core.entries import ENTRIES_DIR, SUFFIX, EntryKind, EntryRef

    by_date: dict[str, set[str]] = {}
    for relpath in importer.files.walk(f"{ENTRIES_DIR}/{EntryKind.PROVIDER.folder}"):
        if not relpath.endswith(SUFFIX):
            continue
        name = relpath.rsplit("/", 1)[-1][: -len(SUFFIX)]
        refreshed = (importer.current(EntryRef(EntryKind.PROVIDER, name)) or {}).get("refreshed")
        if not isinstance(refreshed, dict) or not isinstance(refreshed.get("snapshot"), str):
            return set()
        by_date.setdefault(str(refreshed.get("as_of")), set()).add(refreshed["snapshot"])
    return by_date[max(by_date)] if by_date else set()


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
    for org in report.new_organizations:
        out.append(f"new organization: {org} (check it is not another name of one already here)")
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
