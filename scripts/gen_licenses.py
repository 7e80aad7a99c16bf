"""Regenerate schemas/licenses.schema.json: SPDX licence ids (the vendored list in
scripts/data/spdx-license-ids.txt) plus the Hugging Face Hub's own licence ids, all lower case.

`--check` fails when the schema is stale; tests/test_schemas.py runs it. The SPDX list is
vendored so that a dependency's new release never changes the schema by itself: to take a newer
list, `pip install -U license-expression`, run with `--refresh-spdx`, and review the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# The Hub's licence identifiers (https://huggingface.co/docs/hub/repositories-licenses) that
# are not SPDX ids, plus the registry's own `proprietary` and the missing-data markers.
HUB_LICENSES = [
    "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m",
    "bigscience-bloom-rail-1.0", "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0",
    "bsd", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0",
    "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0",
    "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-3.0",
    "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
    "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0",
    "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0", "gfdl", "gpl",
    "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "isc", "h-research",
    "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr", "mpl-2.0", "odc-by",
    "odbl", "openmdw-1.0", "openrail++", "osl-3.0", "postgresql", "ofl-1.1", "ncsa",
    "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license",
    "fair-noncommercial-research-license", "llama2", "llama3", "llama3.1", "llama3.2",
    "llama3.3", "llama4", "gemma", "other",
]  # fmt: skip
REGISTRY_LICENSES = ["proprietary", "unknown", "n/a"]

OUT = Path(__file__).resolve().parent.parent / "schemas" / "licenses.schema.json"
SPDX_LIST = Path(__file__).resolve().parent / "data" / "spdx-license-ids.txt"


def vendored_spdx_ids() -> list[str]:
    lines = SPDX_LIST.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def installed_spdx_ids() -> list[str]:
    """The SPDX ids of the installed license-expression package (only for --refresh-spdx)."""
    import license_expression

    ids = set()
    for lic in license_expression.get_license_index():
        key = lic.get("spdx_license_key")
        if not key or lic.get("is_exception") or lic.get("is_deprecated"):
            continue
        if key.startswith("LicenseRef-"):
            continue
        ids.add(key.lower())
    return sorted(ids)


def render() -> str:
    ids = sorted(set(vendored_spdx_ids()) | set(HUB_LICENSES)) + REGISTRY_LICENSES
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Licence ids",
        "description": (
            "Lower-case SPDX licence ids (the vendored SPDX list, by scripts/gen_licenses.py), "
            "the Hugging Face Hub's licence ids, `proprietary` "
            "for closed terms, and the missing-data markers `unknown` and `n/a`."
        ),
        "$defs": {
            "license_id": {
                "description": "A licence id, lower case.",
                "enum": ids,
                "examples": ["apache-2.0"],
            }
        },
    }
    return json.dumps(schema, indent=1, ensure_ascii=False) + "\n"


def refresh_spdx() -> None:
    from importlib.metadata import version

    header = [
        "# SPDX licence ids (lower case, no exceptions, no deprecated ids, no LicenseRef-),",
        f"# taken from the license-expression {version('license-expression')} package's "
        "licence index by",
        "# `python scripts/gen_licenses.py --refresh-spdx`. Vendored so that a new release of",
        "# license-expression never changes the schema or fails the tests on its own.",
    ]
    tmp = SPDX_LIST.with_suffix(".tmp")
    tmp.write_text("\n".join([*header, *installed_spdx_ids()]) + "\n", encoding="utf-8")
    tmp.replace(SPDX_LIST)
    print(f"wrote {SPDX_LIST}")


def main() -> int:
    if "--refresh-spdx" in sys.argv[1:]:
        refresh_spdx()
    text = render()
    if "--check" in sys.argv[1:]:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT}: stale; run python scripts/gen_licenses.py", file=sys.stderr)
            return 1
        return 0
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(OUT)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
