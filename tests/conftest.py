"""Shared fixtures: the sample archive and the real corpus (skipped when absent)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cablegram.archive import Archive
from cablegram.cli import main
from cablegram.pipeline import collect_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_file(*parts: str) -> Path:
    """Path of a file of the shared corpus; skip the test when the corpus is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not found at {path}")
    return path


def build_archive(root: Path, paths: list[Path]) -> Archive:
    """Create an archive at `root` and ingest `paths` into it."""
    archive = Archive.create(root)
    for f, collection in collect_files(paths):
        archive.ingest_file(f, collection)
    return archive


@pytest.fixture(scope="session")
def sample_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """An archive of every file in samples/ (read-only: do not ingest into it)."""
    return build_archive(tmp_path_factory.mktemp("samples") / "archive", [SAMPLES])


@pytest.fixture()
def empty_archive(tmp_path: Path) -> Archive:
    """A fresh, empty archive for tests that write."""
    return Archive.create(tmp_path / "archive")


def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            *args: str) -> tuple[int, str, str]:
    """Run `cablegram ARGS` on a wide terminal; return exit code, stdout and stderr."""
    monkeypatch.setattr(sys, "argv", ["cablegram", *args])
    monkeypatch.setenv("COLUMNS", "200")
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
