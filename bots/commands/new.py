"""Write a skeleton entry with the required keys and short comments, ready to fill in.

The id is checked before it becomes a path: `<namespace>/<name>` for models and datasets
(the Hub repo id when there is one), one segment for organizations, leaderboards and providers.
"""

from __future__ import annotations

import argparse
import datetime as dt

KINDS = ["model", "dataset", "organization", "leaderboard", "provider"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="what kind of entry")
    parser.add_argument("id", help="the entry's id, e.g. meta-llama/Llama-3.1-8B")


def run(args: argparse.Namespace) -> int:
    from bots.commands.common import registry_root
    from bots.core.entries import EntryIndex, EntryKind, EntryRef, id_example, valid_id
    from bots.core.errors import RegistryError
    from bots.core.fileio import write_atomic
    from bots.edit.skeleton import skeleton

    kind = EntryKind(args.kind)
    if not valid_id(kind, args.id):
        shape = "<namespace>/<name>" if kind.namespaced else "a single name"
        raise RegistryError(
            "usage.id",
            f"'{args.id}' is not a valid {kind} id",
            f"use {shape} of letters, digits, '.', '_' and '-', e.g. {id_example(kind)}",
        )
    root = registry_root(args)
    ref = EntryRef(kind, args.id)
    index = EntryIndex(root)
    if index.exists(ref):
        raise RegistryError("entry.exists", f"{ref.relpath} already exists", "edit it instead")
    twins = index.case_twins(ref)
    if twins:
        raise RegistryError(
            "entry.exists",
            f"'{twins[0]}' already exists and differs only in letter case",
            f"edit {EntryRef(kind, twins[0]).relpath} instead",
        )
    organization = None
    if kind.namespaced:
        namespace = args.id.split("/")[0]
        if index.exists(EntryRef(EntryKind.ORGANIZATION, namespace)):
            organization = namespace
    path = root / ref.relpath
    write_atomic(path, skeleton(ref, dt.date.today(), organization))
    print(
        f"wrote {ref.relpath} — fill in the empty fields, then run "
        f"`registry validate {ref.relpath}`"
    )
    return 0
