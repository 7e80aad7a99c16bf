"""Import an existing collection: each record becomes an entry, or fills the empty fields of
the entry it matches (values people wrote are never changed; differences are reported).

    registry import seed-metadata DIR       the llm-pretraining-behaviours `metadata/` folder
    registry import ecosystem-graphs DIR    Ecosystem Graphs asset files (*.yaml)
    registry import epoch FILE.csv          Epoch AI's notable AI models table

Exit status: 0 imported (some records may be skipped, each with its reason), 1 nothing could be
imported, 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from bots.commands.common import iso_date, load_schemas, registry_root
from bots.core.errors import RegistryError

FORMATS = ("seed-metadata", "ecosystem-graphs", "epoch")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("format", choices=FORMATS, help="the collection's format")
    parser.add_argument("source", type=Path, metavar="PATH", help="the folder (or epoch's CSV)")
    parser.add_argument("--dry-run", action="store_true", help="show what would happen")
    parser.add_argument("--today", type=iso_date, default=None, help="the date sources record")


def run(args: argparse.Namespace) -> int:
    from bots.intake.importers import Importer
    from bots.intake.importers.ecosystem import EcosystemImporter
    from bots.intake.importers.epoch import EpochImporter
    from bots.intake.importers.seed import SeedImporter, not_a_collection

    root = registry_root(args)
    wants_file = args.format == "epoch"
    if (wants_file and not args.source.is_file()) or (not wants_file and not args.source.is_dir()):
        raise RegistryError(
            "usage.path", f"{args.source}: no such {'file' if wants_file else 'folder'}"
        )
    if args.format == "seed-metadata" and (why := not_a_collection(args.source)):
        raise RegistryError("usage.path", f"{args.source}: {why}")
    today = args.today or dt.datetime.now(dt.UTC).date()
    importer = Importer(root, load_schemas(root), today, dry_run=args.dry_run)
    if args.format == "seed-metadata":
        SeedImporter(importer, args.source).run()
    elif args.format == "ecosystem-graphs":
        EcosystemImporter(importer, args.source).run()
    else:
        EpochImporter(importer, args.source).run()
    report = importer.finish()
    for line in report.lines():
        print(line)
    if args.dry_run:
        print("dry run: nothing was written")
    touched = len(report.created) + len(report.merged) + len(report.unchanged)
    return 0 if touched or not report.skipped else 1
