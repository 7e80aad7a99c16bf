"""Benchmark `registry validate` against check-jsonschema on a large generated registry.

Builds a registry of N entries (default 10,000) in a temporary folder by cloning the shipped
entries under new ids (references still resolve: the shipped entries are copied too), plus bulk
score files (default 200 of 300 scores each, on cloned models), then in the same run measures:
  (a) `registry validate` over the whole registry (files per second),
  (b) check-jsonschema with the same schemas over the same files (files per second), and
      (b') the same with each kind's schema bundled into one document, since check-jsonschema
      spends most of (b) re-crawling its reference registry on cross-file `$ref`s,
  (c) the wall time of `registry validate` on one changed file inside that registry,
      interpreter start included,
  (d) the wall time of `registry pr-report` for a pull request that changes one model entry
      (the registry committed to git and packed, the change on a branch), (d') for one that
      adds an entry and (d'') for one that adds 100.
Each figure is the median of several runs; the ratio (a)/(b) is what to compare across machines.
Targets: (a) at least 3x (b); (c) under 0.15 s on a quiet machine; (d) at most 1/5 of (a).
A benchmark prints its figures; it does not fail on them.

    python scripts/bench_validate.py [--entries 10000] [--score-files 200] [--scores-per-file 300]
                                     [--repeat 3] [--skip-check-jsonschema]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def build_registry(root: Path, count: int, source: Path = REPO) -> dict[str, list[Path]]:
    """Copy the registry at `source` (default: the shipped one), then add clones until it holds
    `count` entries."""
    shutil.copytree(source / "entries", root / "entries")
    shutil.copytree(REPO / "schemas", root / "schemas")
    shipped = sorted((root / "entries").rglob("*.yaml"))
    templates = [
        p
        for p in shipped
        if not any(f"/{kind}/" in p.as_posix() for kind in ("leaderboards", "scores", "providers"))
    ]
    files: dict[str, list[Path]] = defaultdict(list)
    for path in shipped:
        files[path.relative_to(root / "entries").parts[0]].append(path)
    made = len(shipped)
    i = 0
    while made < count:
        template = templates[i % len(templates)]
        rel = template.relative_to(root / "entries")
        kind = rel.parts[0]
        old_id = "/".join(rel.with_suffix("").parts[1:])
        if kind == "organizations":
            new_id = f"bench-org-{i}"
        else:
            new_id = f"bench-ns-{i % 200}/{rel.stem}-{i}"
        text = template.read_text(encoding="utf-8").replace(f"id: {old_id}\n", f"id: {new_id}\n", 1)
        # one entry per Hub repo: a clone names its own
        text = text.replace(f"  repo_id: {old_id}\n", f"  repo_id: {new_id}\n")
        target = root / "entries" / kind / f"{new_id}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        files[kind].append(target)
        made += 1
        i += 1
    return files


def add_score_files(root: Path, files: dict[str, list[Path]], count: int, per_file: int) -> None:
    """`count` score files of `per_file` scores each, on cloned models (their own scores are
    in other settings: a score is stored once), over the shipped benchmarks."""
    models = [p for p in files["models"] if "/bench-ns-" in p.as_posix()][:count]
    benchmarks = [
        "/".join(p.relative_to(root / "entries" / "datasets").with_suffix("").parts)
        for p in files["datasets"]
    ]
    for n, model in enumerate(models):
        model_id = "/".join(model.relative_to(root / "entries" / "models").with_suffix("").parts)
        lines = [
            "# Bot-owned score file, written by `scripts/bench_validate.py`.",
            f"model: {model_id}",
            "source: https://example.org/bench/scores",
            "owner: {importer: bench}",
            "scores:",
        ]
        for j in range(per_file):
            value = ((n * 7919 + j * 104729) % 1000) / 1000
            lines.append(
                f"  - {{benchmark: {benchmarks[j % len(benchmarks)]}, metric: accuracy, "
                f"value: {value}, stderr: 0.01, setting: bench run {j}, date: 2024-01-02}}"
            )
        target = root / "entries" / "scores" / model_id / "bench.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files["scores"].append(target)


def schema_name(kind: str) -> str:
    """The schema file's stem for a folder under entries/ (`models` → `model`)."""
    return kind if kind == "scores" else kind[:-1]


def bundled_schema(schema_dir: Path, kind: str, out: Path) -> Path:
    """One self-contained document for `kind`: every other schema file's `$defs` merged in
    under `<file>__<name>`, references rewritten to match. check-jsonschema re-crawls its
    reference registry on each cross-file `$ref`; a bundle shows its speed without that."""
    docs = {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in schema_dir.glob("*.schema.json")
    }
    root_name = f"{kind}.schema.json"

    def rewrite(node: object, doc: str) -> object:
        if isinstance(node, dict):
            out_node = {}
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    target, _, pointer = value.partition("#")
                    target = target or doc
                    name = pointer.rsplit("/", 1)[-1]
                    value = (
                        f"#/$defs/{name}"
                        if target == root_name
                        else f"#/$defs/{target.split('.')[0]}__{name}"
                    )
                    out_node[key] = value
                else:
                    out_node[key] = rewrite(value, doc)
            return out_node
        if isinstance(node, list):
            return [rewrite(v, doc) for v in node]
        return node

    root = rewrite(docs[root_name], root_name)
    assert isinstance(root, dict)
    defs = root.setdefault("$defs", {})
    for name, doc in docs.items():
        if name != root_name:
            for def_name, def_node in doc.get("$defs", {}).items():
                defs[f"{name.split('.')[0]}__{def_name}"] = rewrite(def_node, name)
    out.write_text(json.dumps(root), encoding="utf-8")
    return out


def timed(cmd: list[str], cwd: Path, expect_ok: bool = True) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if expect_ok and result.returncode != 0:
        sys.exit(
            f"{' '.join(cmd[:3])} failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return elapsed


def git(root: Path, *args: str) -> str:
    identity = ("-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "gc.auto=0")
    done = subprocess.run(
        ["git", "-C", str(root), *identity, *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def pull_request(root: Path, base: str, name: str, change: Callable[[], None]) -> str:
    """A branch `name` off `base` holding `change` as one commit; returns that commit."""
    git(root, "switch", "--quiet", "-C", name, base)
    change()
    git(root, "add", "--all", "entries")
    git(root, "commit", "--quiet", "--no-verify", "-m", name)
    head = git(root, "rev-parse", "HEAD")
    git(root, "switch", "--quiet", "main")
    return head


def edit_one(path: Path) -> Callable[[], None]:
    def change() -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nname: ", "\nname: Renamed ", 1), encoding="utf-8")

    return change


def add_many(root: Path, templates: list[Path], count: int) -> Callable[[], None]:
    def change() -> None:
        for i in range(count):
            template = templates[i % len(templates)]
            old_id = "/".join(template.relative_to(root / "entries").with_suffix("").parts[1:])
            new_id = f"bench-pr/{template.stem}-{i}"
            text = template.read_text(encoding="utf-8")
            target = root / "entries" / "models" / f"{new_id}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            text = text.replace(f"id: {old_id}\n", f"id: {new_id}\n", 1)
            text = text.replace(f"  repo_id: {old_id}\n", f"  repo_id: {new_id}\n")
            target.write_text(text, "utf-8")

    return change


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--score-files", type=int, default=200)
    parser.add_argument("--scores-per-file", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--skip-check-jsonschema", action="store_true", help="skip (b) and (b'), the slow part"
    )
    args = parser.parse_args()
    registry = str(BIN / "registry")
    checker = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if checker is None and not args.skip_check_jsonschema:
        sys.exit("check-jsonschema is not installed: pip install -e '.[dev]'")

    with tempfile.TemporaryDirectory(prefix="bench-registry-") as tmp:
        root = Path(tmp)
        files = build_registry(root, args.entries)
        add_score_files(root, files, args.score_files, args.scores_per_file)
        total = sum(len(v) for v in files.values())
        print(
            f"registry: {total} entries "
            + ", ".join(f"{k} {len(v)}" for k, v in sorted(files.items()))
        )

        ours = [timed([registry, "validate"], root) for _ in range(args.repeat)]
        full = statistics.median(ours)
        ours_fps = total / full
        print(
            f"(a) registry validate (whole registry): median {full:.2f} s, {ours_fps:,.0f} files/s"
        )
        single_file(registry, root, files["models"][len(files["models"]) // 2])
        pr_reports(registry, root, files, full, args.repeat)
        if not args.skip_check_jsonschema:
            assert checker is not None
            compare_check_jsonschema(checker, root, files, total, ours_fps, args.repeat)
    return 0


def single_file(registry: str, root: Path, changed: Path) -> None:
    changed.write_text(changed.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")
    single = [timed([registry, "validate", str(changed)], root) for _ in range(7)]
    print(
        f"(c) registry validate (one changed file): median {statistics.median(single):.3f} s "
        f"wall, interpreter start included  (target: under 0.15 s on a quiet machine)"
    )
    changed.write_text(changed.read_text(encoding="utf-8").removesuffix("# touched\n"), "utf-8")


def pr_reports(
    registry: str, root: Path, files: dict[str, list[Path]], full: float, repeat: int
) -> None:
    git(root, "init", "--quiet", "-b", "main")
    git(root, "add", "--all", "entries", "schemas")
    git(root, "commit", "--quiet", "--no-verify", "-m", "registry")
    base = git(root, "rev-parse", "HEAD")
    models = files["models"]
    one = pull_request(root, base, "edit-one", edit_one(models[len(models) // 3]))
    added = pull_request(root, base, "add-one", add_many(root, models[:1], 1))
    many = pull_request(root, base, "add-100", add_many(root, models[:50], 100))
    git(root, "gc", "--quiet")  # packed, as a clone is (and no background gc during the runs)
    out = root.parent / f"{root.name}-report"

    def report(head: str) -> float:
        cmd = [registry, "pr-report", "--base", base, "--head", head, "--out", str(out)]
        return statistics.median(timed(cmd, root) for _ in range(repeat))

    seconds = report(one)
    print(
        f"(d) registry pr-report (one changed entry): median {seconds:.2f} s, "
        f"1/{full / seconds:.0f} of (a)  (target: at most 1/5 of (a))"
    )
    seconds = report(added)
    print(f"(d') registry pr-report (one added entry): median {seconds:.2f} s")
    seconds = report(many)
    print(f"(d'') registry pr-report (100 added entries): median {seconds:.2f} s")
    shutil.rmtree(out, ignore_errors=True)


def compare_check_jsonschema(
    checker: str, root: Path, files: dict[str, list[Path]], total: int, ours_fps: float, repeat: int
) -> None:
    """(b) and (b'): check-jsonschema over the same files, with the schemas as they are and
    bundled into one document per kind."""

    def checker_seconds(schema_for: dict[str, Path]) -> float:
        """Median over the repeats of check-jsonschema run once per kind."""
        runs = []
        for _ in range(repeat):
            runs.append(
                sum(
                    timed([checker, "--schemafile", str(schema_for[kind]), *map(str, paths)], root)
                    for kind, paths in sorted(files.items())
                )
            )
        return statistics.median(runs)

    schema_files = {kind: root / "schemas" / f"{schema_name(kind)}.schema.json" for kind in files}
    theirs = checker_seconds(schema_files)
    theirs_fps = total / theirs
    print(
        f"(b) check-jsonschema (schemas only):    median {theirs:.2f} s, {theirs_fps:,.0f} files/s"
    )
    print(f"    ratio (a)/(b): {ours_fps / theirs_fps:.1f}x  (target: at least 3x)")

    bundles = root / "bundled-schemas"
    bundles.mkdir()
    bundled = {
        kind: bundled_schema(root / "schemas", schema_name(kind), bundles / f"{kind}.json")
        for kind in files
    }
    flat = checker_seconds(bundled)
    flat_fps = total / flat
    print(
        f"(b') check-jsonschema, the same schemas bundled into one document each: median "
        f"{flat:.2f} s, {flat_fps:,.0f} files/s"
    )
    print(f"    ratio (a)/(b'): {ours_fps / flat_fps:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
