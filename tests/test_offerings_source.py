"""registry refresh-offerings against the public models.dev (the GitHub stand-in playing
anomalyco/models.dev): the newest commit is asked for first and an upstream that has not moved
is not downloaded; a new commit's archive is read; GitHub's failures are one line saying what
to do; an archive with a member out of its folder, a link out, a device, or too many bytes is
refused whole, nothing extracted and nothing written."""

from __future__ import annotations

import io
import re
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bots.commands import refresh_offerings
from bots.core.loader import load_entry_file
from bots.remote import upstream
from tests.conftest import Run, write
from tests.github_standin import Fault, GitHubStandIn, SymLink, github_tarball
from tests.modelsdev_samples import seed_registry, snapshot_files

UPSTREAM = "anomalyco/models.dev"
TARBALL = r"/repos/anomalyco/models\.dev/tarball/"
ARCHIVE = r"^/_codeload/"


def published(state: str) -> dict[str, str | bytes | SymLink]:
    """A snapshot as GitHub's archive holds it: the link git keeps as a link is a link."""
    files: dict[str, str | bytes | SymLink] = dict(snapshot_files(state))
    files["providers/relay/models/gpt-4o-2024-05-13.toml"] = SymLink(
        "../../openai/models/gpt-4o-2024-05-13.toml"
    )
    return files


@pytest.fixture
def models_dev(github_server: GitHubStandIn, monkeypatch: pytest.MonkeyPatch) -> GitHubStandIn:
    """The GitHub stand-in as the bots see it outside a workflow: no token (a public
    repository is read anonymously), no waiting between retries."""
    monkeypatch.setenv("GITHUB_API_URL", github_server.base_url)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("REGISTRY_GITHUB_THROTTLE", "0")
    monkeypatch.setenv("REGISTRY_GITHUB_WAIT_SCALE", "0")
    return github_server


@pytest.fixture
def root(registry: Path) -> Path:
    seed_registry(registry)
    return registry


@pytest.fixture
def refresh(registry_cli: Callable[..., Run], root: Path) -> Callable[..., Run]:
    def run(*extra: str | Path) -> Run:
        return registry_cli("refresh-offerings", "--today", "2026-12-01", *extra, root=root)

    return run


def asked(server: GitHubStandIn, pattern: str) -> int:
    """GET requests on paths matching `pattern`, whatever the answer (a redirect included)."""
    return sum(1 for r in server.requests if r.method == "GET" and re.search(pattern, r.path))


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def offering(root: Path, model: str, provider: str, offering_id: str) -> dict[str, Any]:
    data = load_entry_file(root / f"entries/models/{model}.yaml").data
    assert isinstance(data, dict)
    [found] = [
        o for o in data["offerings"] if (o["provider"], o["model"]) == (provider, offering_id)
    ]
    return dict(found)


def test_an_upstream_that_has_not_moved_is_asked_for_its_commit_and_not_downloaded(
    models_dev: GitHubStandIn, refresh: Callable[..., Run], root: Path
) -> None:
    first = models_dev.publish_snapshot(UPSTREAM, published("before"), date="2026-06-01T10:00:00Z")
    result = refresh()
    assert result.code == 0, result.err
    gpt = offering(root, "openai/gpt-4o", "openai", "gpt-4o")
    assert (gpt["snapshot"], gpt["as_of"]) == (first, "2026-06-01")
    assert gpt["price"]["input"] == 2.5
    # a link in the archive, inside its folder, is followed
    assert offering(root, "openai/gpt-4o", "relay", "gpt-4o-2024-05-13")["price"]["input"] == 5.0
    assert asked(models_dev, TARBALL) == asked(models_dev, ARCHIVE) == 1

    second = models_dev.publish_snapshot(UPSTREAM, published("after"), date="2026-07-01T08:00:00Z")
    result = refresh()
    assert result.code == 0, result.err
    assert offering(root, "openai/gpt-4o", "openai", "gpt-4o")["price"]["input"] == 2.0
    assert asked(models_dev, ARCHIVE) == 2
    # bedrock did not change upstream: its entry still records the first commit
    bedrock = load_entry_file(root / "entries/providers/bedrock.yaml").data
    assert bedrock["refreshed"]["snapshot"] == first  # type: ignore[index]

    before = files_of(root)
    summary = root.parent / "summary.md"
    again = refresh("--summary", summary)
    assert again.code == 0, again.err
    assert "models.dev: unchanged since the last refresh; nothing read" in again.out
    assert files_of(root) == before
    assert "nothing to propose" in summary.read_text()
    assert asked(models_dev, r"/commits/main$") == 3
    assert asked(models_dev, TARBALL) == asked(models_dev, ARCHIVE) == 2

    forced = refresh("--force")  # every provider read again, and recorded at that commit
    assert forced.code == 0, forced.err
    assert asked(models_dev, ARCHIVE) == 3
    bedrock = load_entry_file(root / "entries/providers/bedrock.yaml").data
    assert bedrock["refreshed"]["snapshot"] == second  # type: ignore[index]


def test_a_provider_entry_that_records_no_commit_makes_the_refresh_read_upstream(
    models_dev: GitHubStandIn, refresh: Callable[..., Run], root: Path
) -> None:
    models_dev.publish_snapshot(UPSTREAM, published("before"))
    assert refresh().code == 0
    write(
        root,
        "entries/providers/newco.yaml",
        "id: newco\nname: NewCo\nurl: https://newco.example.com/docs\n",
    )
    result = refresh()
    assert result.code == 0, result.err
    assert "unchanged since the last refresh" not in result.out
    assert asked(models_dev, ARCHIVE) == 2


def test_a_ref_reads_that_commit(
    models_dev: GitHubStandIn, refresh: Callable[..., Run], root: Path
) -> None:
    first = models_dev.publish_snapshot(UPSTREAM, published("before"), date="2026-06-01T10:00:00Z")
    models_dev.publish_snapshot(UPSTREAM, published("after"))
    result = refresh("--ref", first)
    assert result.code == 0, result.err
    gpt = offering(root, "openai/gpt-4o", "openai", "gpt-4o")
    assert (gpt["snapshot"], gpt["price"]["input"]) == (first, 2.5)


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (
            ["--upstream", "nobody/nothing"],
            404,
            "nobody/nothing: GitHub answered 404 (Not Found) for its newest commit — check "
            "--upstream (OWNER/NAME) and --ref, or pass --from a checkout",
        ),
        (
            ["--ref", "no-such-branch"],
            422,
            "anomalyco/models.dev: GitHub answered 422 (No commit found for SHA: no-such-branch) "
            "for commit 'no-such-branch' — check --upstream (OWNER/NAME) and --ref",
        ),
    ],
)
def test_a_repository_or_ref_github_does_not_know_is_one_line_naming_what_to_check(
    models_dev: GitHubStandIn,
    refresh: Callable[..., Run],
    root: Path,
    args: list[str],
    status: int,
    words: str,
) -> None:
    models_dev.publish_snapshot(UPSTREAM, published("before"))
    before = files_of(root)
    result = refresh(*args)
    assert result.code == 1
    [line] = result.err.strip().splitlines()
    assert line.startswith(f"registry refresh-offerings: {words}")
    assert files_of(root) == before


def test_github_failing_is_tried_again_then_reported_as_a_rerun_later(
    models_dev: GitHubStandIn, refresh: Callable[..., Run], root: Path
) -> None:
    models_dev.publish_snapshot(UPSTREAM, published("before"))
    models_dev.faults.append(Fault("GET", r"/commits/", status=500, message="Server Error"))
    assert refresh().code == 0  # one 500, then the answer

    models_dev.publish_snapshot(UPSTREAM, published("after"))
    before = files_of(root)
    models_dev.faults.append(Fault("GET", r"/commits/", status=500, times=4, message="Oops"))
    result = refresh()
    assert result.code == 1
    assert result.err.strip() == (
        "registry refresh-offerings: anomalyco/models.dev: GitHub answered 500 (Oops) for "
        "its newest commit, 4 times — rerun later, or pass --from a checkout"
    )
    assert files_of(root) == before


def test_an_archive_github_cannot_serve_is_reported_and_nothing_written(
    models_dev: GitHubStandIn, refresh: Callable[..., Run], root: Path
) -> None:
    sha = models_dev.publish_snapshot(UPSTREAM, published("before"))
    models_dev.faults.append(Fault("GET", ARCHIVE, status=502, times=4))
    before = files_of(root)
    result = refresh()
    assert result.code == 1
    assert result.err.strip() == (
        f"registry refresh-offerings: {UPSTREAM}'s archive of {sha[:12]} could not be "
        "downloaded (HTTP 502) — rerun later, or pass --from a checkout"
    )
    assert asked(models_dev, r"/commits/") == 1
    assert files_of(root) == before


def test_a_token_github_rejects_is_named(
    models_dev: GitHubStandIn,
    refresh: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    models_dev.publish_snapshot(UPSTREAM, published("before"))
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_expired")
    result = refresh()
    assert result.code == 1
    assert "GitHub answered 401 (Bad credentials) for its newest commit: GITHUB_TOKEN was " in (
        result.err
    )
    assert "unset it to read anomalyco/models.dev anonymously, or set a valid token" in result.err


# --- archives that are not what GitHub serves -------------------------------------------------


def _member(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"", link: str = "") -> Any:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size, info.mode = kind, link, len(data), 0o644
    return info, data


def hostile_archive(sha: str, *members: tuple[tarfile.TarInfo, bytes]) -> bytes:
    """GitHub's archive of the "before" snapshot, with `members` added after its files (an
    archive extracted member by member would have written those already)."""
    source = io.BytesIO(github_tarball(UPSTREAM, sha, published("before")))
    out = io.BytesIO()
    with (
        tarfile.open(fileobj=source) as good,
        tarfile.open(fileobj=out, mode="w:gz", format=tarfile.PAX_FORMAT) as tar,
    ):
        for info in good:
            tar.addfile(info, good.extractfile(info) if info.isfile() else None)
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data else None)
    return out.getvalue()


TOP = "anomalyco-models.dev-"


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[Path]:
    """Where an escaping member would land: nothing may be there afterwards."""
    yield tmp_path
    assert not (tmp_path / "escaped.toml").exists()


@pytest.mark.parametrize(
    ("members", "words"),
    [
        (
            lambda top: [_member(f"{top}/providers/../../../escaped.toml", data=b"x = 1\n")],
            "holds a file outside the archive's folder",
        ),
        (
            lambda top: [_member("../escaped.toml", data=b"x = 1\n")],
            "holds a file outside the archive's folder '../escaped.toml'",
        ),
        (
            lambda top: [_member("/tmp/escaped.toml", data=b"x = 1\n")],
            "holds a file with an absolute path '/tmp/escaped.toml'",
        ),
        (
            lambda top: [_member(f"{top}/providers/x.toml", tarfile.SYMTYPE, link="/etc/passwd")],
            "holds a link to an absolute path",
        ),
        (
            lambda top: [
                _member(f"{top}/providers/x.toml", tarfile.SYMTYPE, link="../../../escaped.toml")
            ],
            "holds a link out of the archive's folder",
        ),
        (
            lambda top: [_member(f"{top}/providers/x", tarfile.LNKTYPE, link="../../escaped.toml")],
            "holds a link out of the archive's folder",
        ),
        (
            lambda top: [_member(f"{top}/providers/tty", tarfile.CHRTYPE)],
            "holds a device or pipe",
        ),
        (
            lambda top: [_member("other-top/providers/x.toml", data=b"x = 1\n")],
            "holds more than one top folder 'other-top/providers/x.toml'",
        ),
    ],
    ids=[
        "dotdot-inside",
        "dotdot",
        "absolute",
        "symlink-absolute",
        "symlink-out",
        "hardlink-out",
        "device",
        "two-tops",
    ],
)
def test_an_archive_with_a_member_out_of_its_folder_is_refused_whole(
    models_dev: GitHubStandIn,
    refresh: Callable[..., Run],
    root: Path,
    outside: Path,
    members: Callable[[str], list[tuple[tarfile.TarInfo, bytes]]],
    words: str,
) -> None:
    sha = models_dev.publish_snapshot(UPSTREAM, published("before"))
    archive = hostile_archive(sha, *members(f"{TOP}{sha[:7]}"))
    models_dev.repos[UPSTREAM].commits[-1].archive = archive
    before = files_of(root)
    result = refresh()
    assert result.code == 1, result.out
    [line] = result.err.strip().splitlines()
    assert f"{UPSTREAM}'s archive of {sha[:12]} {words}" in line
    assert line.endswith(
        ": refused — nothing was extracted; report it, and pass --from a checkout you trust "
        "meanwhile"
    )
    assert files_of(root) == before


def test_an_archive_of_another_commit_is_refused(
    models_dev: GitHubStandIn, refresh: Callable[..., Run], root: Path
) -> None:
    sha = models_dev.publish_snapshot(UPSTREAM, published("before"))
    other = github_tarball(UPSTREAM, "f" * 40, published("after"))
    models_dev.repos[UPSTREAM].commits[-1].archive = other
    result = refresh()
    assert result.code == 1
    assert f"holds another commit than {sha[:12]} '{TOP}fffffff': refused" in result.err


def test_a_download_that_is_not_an_archive_is_reported(
    models_dev: GitHubStandIn, refresh: Callable[..., Run], root: Path
) -> None:
    sha = models_dev.publish_snapshot(
        UPSTREAM, published("before"), archive=b"<html>Service unavailable</html>"
    )
    before = files_of(root)
    result = refresh()
    assert result.code == 1
    assert f"{UPSTREAM}'s archive of {sha[:12]} is not a tar archive (" in result.err
    assert files_of(root) == before


def test_an_archive_without_models_dev_folders_is_reported(
    models_dev: GitHubStandIn, refresh: Callable[..., Run], root: Path
) -> None:
    sha = models_dev.publish_snapshot(UPSTREAM, {"README.md": "# another project\n"})
    result = refresh()
    assert result.code == 1
    assert result.err.strip() == (
        f"registry refresh-offerings: {UPSTREAM}'s archive of {sha[:12]} has no models or "
        "providers folder — check --upstream (OWNER/NAME) and --ref, or pass --from a checkout"
    )


def test_an_archive_over_the_download_cap_is_refused_as_it_streams(
    models_dev: GitHubStandIn,
    refresh: Callable[..., Run],
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sha = models_dev.publish_snapshot(UPSTREAM, published("before"))
    size = len(models_dev.repos[UPSTREAM].commits[-1].archive)
    monkeypatch.setattr(refresh_offerings, "MAX_ARCHIVE_BYTES", size - 1)
    before = files_of(root)
    result = refresh()
    assert result.code == 1
    assert (
        f"{UPSTREAM}'s archive of {sha[:12]} is larger than {(size - 1) / 1024:g} KiB: refused"
        in result.err
    )
    assert files_of(root) == before
    monkeypatch.setattr(refresh_offerings, "MAX_ARCHIVE_BYTES", size)
    assert refresh().code == 0


def test_an_archive_that_unpacks_past_the_caps_is_refused(
    models_dev: GitHubStandIn,
    refresh: Callable[..., Run],
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sha = models_dev.publish_snapshot(UPSTREAM, published("before"))
    zeros = _member(f"{TOP}{sha[:7]}/providers/relay/models/zeros.toml", data=bytes(1 << 20))
    models_dev.repos[UPSTREAM].commits[-1].archive = hostile_archive(sha, zeros)
    monkeypatch.setattr(upstream, "MAX_UNPACKED_BYTES", 1 << 20)
    before = files_of(root)
    result = refresh()
    assert result.code == 1
    assert f"archive of {sha[:12]} holds more than 1 MiB of files: refused" in result.err
    monkeypatch.setattr(upstream, "MAX_UNPACKED_BYTES", 2 << 20)
    monkeypatch.setattr(upstream, "MAX_MEMBERS", 10)
    result = refresh()
    assert result.code == 1
    assert f"archive of {sha[:12]} holds more than 10 files: refused" in result.err
    assert files_of(root) == before
