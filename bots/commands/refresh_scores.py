"""Refresh the bot-owned scores a leaderboard feeds into its score files.

NAME is a leaderboard entry (entries/leaderboards/NAME.yaml). The table is read from its Hub
dataset or URL — or from --from FILE — and only when its upstream revision moved since the last
refresh recorded in that entry. Each model's scores from it live in the score file
entries/scores/<model id>/NAME.yaml. New scores are added, scores that moved beyond the
benchmark's tolerance rewritten, scores gone from the table reported (never deleted); scores
people wrote are never touched (the leaderboard's records an earlier refresh wrote into a model
entry are moved into its score file, once).

Guards: when a column the entry maps is gone, or more than 30% of the tracked scores would
change at once, nothing is written and the exit status is 1 (--allow-mass-change after a
review). Exit status: 0 done or nothing to do, 1 a guard or the source failed, 2 usage.

--list-sources prints the leaderboard ids to refresh (every entries/leaderboards/<id>.yaml whose
name is a valid id) as one JSON array, for the daily workflow's matrix; a file whose name is no
leaderboard id is named on stderr and left out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from bots.commands.common import iso_date, load_schemas, registry_root
from bots.core.entries import (
    ENTRIES_DIR,
    EntryFiles,
    EntryIndex,
    EntryKind,
    EntryRef,
    LocationError,
    ref_for_relpath,
    valid_id,
)
from bots.core.errors import RegistryError
from bots.core.fileio import write_atomic
from bots.core.loader import load_entry_file
from bots.core.markdown import code, escape
from bots.core.scorefiles import model_scores, score_file_relpaths
from bots.core.scoring import ScoreKey
from bots.remote.hubpages import hub_page
from bots.sync.refresh import RefreshPlan, ScoreChange


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--source", metavar="NAME", help="a leaderboard entry id")
    which.add_argument(
        "--list-sources",
        action="store_true",
        help="print the ids of the leaderboard entries as a JSON array, and do nothing else",
    )
    parser.add_argument(
        "--from",
        dest="local",
        type=Path,
        metavar="FILE",
        help="read the table from this file instead of upstream",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    parser.add_argument("--force", action="store_true", help="read even if the revision is known")
    parser.add_argument(
        "--allow-mass-change",
        action="store_true",
        help="accept more than 30%% of tracked scores changing at once",
    )
    parser.add_argument("--summary", type=Path, metavar="FILE", help="write a Markdown summary")
    parser.add_argument("--today", type=iso_date, default=None, help="the date scores record")
    parser.add_argument("--model", help="lm-eval-harness: the model entry (default: the file's)")
    parser.add_argument(
        "--source-url",
        help="lm-eval-harness: where the results are published (each score's source)",
    )


def list_sources(root: Path) -> list[str]:
    """The ids of the leaderboard entries, sorted: each a file name that is a valid id (so it
    is safe as a matrix value, a branch name and a path). Any other file there is named on
    stderr and left out; `registry validate` says what is wrong with it."""
    ids = set()
    for relpath in EntryFiles(root).walk(f"{ENTRIES_DIR}/{EntryKind.LEADERBOARD.folder}"):
        try:
            ref = ref_for_relpath(relpath)
        except LocationError as exc:
            print(f"{relpath}: not refreshed: {exc}", file=sys.stderr)
            continue
        if ref.kind is EntryKind.LEADERBOARD and valid_id(ref.kind, ref.id):
            ids.add(ref.id)
    return sorted(ids)


def _board(root: Path, name: str) -> tuple[Path, dict[str, Any]]:
    if not valid_id(EntryKind.LEADERBOARD, name):
        raise RegistryError("usage.id", f"'{name}' is not a leaderboard id")
    path = root / EntryRef(EntryKind.LEADERBOARD, name).relpath
    if not path.is_file():
        raise RegistryError(
            "usage.leaderboard",
            f"no leaderboard '{name}' (no {path.relative_to(root)}): add it with "
            f"registry new leaderboard {name}",
        )
    loaded = load_entry_file(path)
    if loaded.problems or not isinstance(loaded.data, dict):
        raise RegistryError(
            "registry.entry", f"{path.relative_to(root)} cannot be read: run registry validate"
        )
    return path, loaded.data


def run(args: argparse.Namespace) -> int:
    from bots.remote.hub import HubClient, HubError
    from bots.sync.refresh import ModelIndex, apply, guard, plan_refresh, record_refresh
    from bots.sync.scores import SourceError
    from bots.sync.scores.tables import BoardSource

    root = registry_root(args)
    if args.list_sources:
        print(json.dumps(list_sources(root), separators=(",", ":")))
        return 0
    schemas = load_schemas(root)
    today = args.today or dt.datetime.now(dt.UTC).date()
    if args.source == LM_EVAL:
        return _lm_eval(args, root, schemas, today)
    board_path, board = _board(root, args.source)
    client = HubClient.from_env() if board["data"].get("hub_dataset") else None
    source = BoardSource(board, client, args.local)
    known = (board.get("refreshed") or {}).get("revision")
    try:
        if not args.force and args.local is None and known:
            upstream = source.revision()
            if upstream == known:
                print(
                    f"{args.source}: upstream revision {upstream} already refreshed: "
                    "nothing downloaded, nothing changed"
                )
                return 0
        table = source.fetch()
    except (SourceError, HubError) as exc:  # the failure, named by the source it reads
        raise exc.within("refresh.source", args.source) from exc
    plan = plan_refresh(board, table, ModelIndex(root), today)
    guard(plan, args.allow_mass_change)
    drift = _column_drift(board, table.columns)
    if drift:
        print(f"note: {drift}")
    for change in plan.changes:
        print(_line(change))
    counts = _counts(plan)
    print(f"{args.source} at {table.revision}: {counts}; {plan.unmatched} rows match no entry")
    texts = apply(root, schemas, plan, board) if plan.writes or plan.moved else {}
    if args.summary is not None:
        write_atomic(args.summary, summary(board, plan, drift))
    for relpath, count in sorted(plan.moved.items()):
        print(f"moved: {relpath}: its {count} {args.source} scores into its score file")
    for model, label in plan.conflicts:
        print(f"conflict (kept): {model} {label}: the model entry holds this score")
    for reason in plan.refused:
        print(reason)
    if args.dry_run or not texts:
        return 0
    for path, text in texts.items():
        write_atomic(path, text)
    write_atomic(board_path, record_refresh(board_path, schemas, table, today))
    print(f"{len(plan.records)} score files updated")
    return 0


LM_EVAL = "lm-eval-harness"


def _lm_eval(args: argparse.Namespace, root: Path, schemas: Any, today: dt.date) -> int:
    """Scores from one lm-evaluation-harness results file: added where missing, never changed."""
    from bots.core.markdown import http_url
    from bots.edit.yamledit import edit_entry, flowed, put
    from bots.sync.refresh import ModelIndex
    from bots.sync.scores import SourceError
    from bots.sync.scores.lmeval import parse

    if args.local is None:
        raise RegistryError(
            "usage.arguments",
            "--source lm-eval-harness reads a results file: pass --from results.json",
        )
    if not args.source_url or http_url(args.source_url) is None:
        raise RegistryError(
            "usage.arguments",
            "pass --source-url URL: the http(s) page where these results are published",
        )
    try:
        model_id, task_scores, skipped = parse(args.local.read_bytes())
    except OSError as exc:
        raise RegistryError("usage.file", f"{args.local}: cannot read ({exc.strerror})") from exc
    except SourceError as exc:
        raise exc.within("refresh.source", str(args.local)) from exc
    model_id = args.model or model_id
    models = ModelIndex(root)
    relpath = models.find(model_id, "hub_id") if model_id else None
    if relpath is None:
        raise RegistryError(
            "entry.missing",
            f"{args.local}: model '{model_id}' is not in the registry: pass --model ID, or add "
            "the model first (registry new model …)",
        )
    index = EntryIndex(root)
    filed = [
        data
        for p in score_file_relpaths(models.files, ref_for_relpath(relpath).id)
        if isinstance(data := load_entry_file(root / p).data, dict)
    ]  # a score is stored once: those of its score files count too
    existing = {ScoreKey.of(s): s for s in model_scores(models.data[relpath], filed)}
    new: list[dict[str, Any]] = []
    missing: set[str] = set()
    for score in task_scores:
        if not index.exists(EntryRef(EntryKind.DATASET, score.benchmark)):
            missing.add(score.benchmark)
            continue
        record = score.record(args.source_url, today)
        old = existing.get(ScoreKey.of(record))
        if old is None:
            new.append(record)
            setting = record.get("setting", "")
            print(f"new: {score.benchmark} {score.metric} {setting} = {record['value']:g}")
        elif abs(float(old.get("value", 0)) - record["value"]) > 1e-9:
            print(
                f"conflict (kept): {score.benchmark} {score.metric}: the entry has "
                f"{old.get('value')}, the file {record['value']:g}"
            )
    if skipped:
        print(f"tasks with no known benchmark, skipped: {', '.join(skipped[:20])}")
    for benchmark in sorted(missing):
        print(f"no dataset entry for {benchmark}: add it with registry new dataset {benchmark}")
    print(f"{model_id}: {len(new)} new scores")
    if args.dry_run or not new:
        return 0
    with edit_entry(root / relpath, write=True) as edit:
        scores = edit.doc.get("scores")
        if scores is None:
            put(edit.doc, "scores", flowed(new), schemas.key_order(EntryKind.MODEL))
        else:
            scores.extend(flowed(new))
    return 0


def _column_drift(board: dict[str, Any], columns: list[str]) -> str:
    before = (board.get("refreshed") or {}).get("columns")
    if not before or before == columns:
        return ""
    gone = [c for c in before if c not in columns]
    added = [c for c in columns if c not in before]
    parts = []
    if gone:
        parts.append("gone: " + ", ".join(gone[:10]))
    if added:
        parts.append("new: " + ", ".join(added[:10]))
    return "the table's columns changed since the last refresh (" + "; ".join(parts) + ")"


def _counts(plan: RefreshPlan) -> str:
    by_kind = {
        k: sum(1 for c in plan.changes if c.kind == k) for k in ("changed", "new", "vanished")
    }
    return ", ".join(f"{n} {k}" for k, n in by_kind.items())


def _value(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _line(change: ScoreChange) -> str:
    values = f"{_value(change.old)} → {_value(change.new)}"
    return f"{change.kind}: {change.entry} {change.benchmark}: {values}"


def summary(board: dict[str, Any], plan: RefreshPlan, drift: str) -> str:
    """The PR body: what changed, biggest moves first, with the upstream revision."""
    dataset = board["data"].get("hub_dataset")
    revision = code(plan.revision)
    score_file_pattern = f"entries/scores/<model id>/{board['id']}.yaml"
    if dataset and not plan.revision.startswith("sha256:"):
        revision = f"[{revision}]({hub_page(EntryKind.DATASET, dataset, plan.revision)})"
    parts = [
        f"## {board['name']}: score refresh\n\n",
        f"Read from upstream revision {revision} ([leaderboard]({board['url']})): "
        f"{_counts(plan)}, in each model's score file "
        f"{code(score_file_pattern)}. Scores people wrote are "
        "untouched; vanished scores are kept and listed for review.\n\n",
    ]
    if drift:
        parts.append(f"⚠️ {drift}.\n\n")
    if plan.refused:
        parts.append("### Not written (over the size limit of a score file)\n\n")
        parts += [f"- {escape(reason)}\n" for reason in plan.refused]
        parts.append("\n")
    if plan.moved:
        count = sum(plan.moved.values())
        parts.append(
            f"Moved {count} {board['id']} score{'s' if count != 1 else ''} that earlier "
            f"refreshes wrote into {len(plan.moved)} model entr"
            f"{'ies' if len(plan.moved) != 1 else 'y'} into their score files "
            f"({code(score_file_pattern)}), once: a model entry "
            "keeps only the scores people wrote.\n\n"
        )
    if plan.conflicts:
        parts.append("### Kept in the model entry (people wrote these scores)\n\n")
        parts += [f"- {code(m)} {code(label)}\n" for m, label in plan.conflicts[:200]]
        parts.append("\n")
    moved = sorted(
        (c for c in plan.changes if c.kind != "vanished"),
        key=lambda c: (-abs(c.delta), c.kind != "changed", c.entry, c.benchmark),
    )
    if moved:
        parts.append("| model | benchmark | old → new | Δ |\n|---|---|---|---:|\n")
        for c in moved[:500]:
            delta = f"{c.delta:+.3g}" if c.kind == "changed" else "new"
            parts.append(
                f"| {code(c.entry)} | {code(c.benchmark)} | {_value(c.old)} → "
                f"{_value(c.new)} | {delta} |\n"
            )
    vanished = [c for c in plan.changes if c.kind == "vanished"]
    if vanished:
        parts.append("\n### Gone from the leaderboard (kept, please review)\n\n")
        parts += [
            f"- {code(c.entry)} {code(c.benchmark)} ({_value(c.old)})\n" for c in vanished[:200]
        ]
    parts.append("\n<sub>Written by `registry refresh-scores`.</sub>\n")
    return "".join(parts)
