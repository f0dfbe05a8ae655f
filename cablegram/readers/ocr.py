"""OCR for pages without a text layer: Debian's `tesseract` binary, one process per core."""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

from cablegram.errors import UnreadableFileError


@dataclass(frozen=True)
class OcrSettings:
    """How scanned pages are read; tesseract's own layout analysis finds the columns."""

    dpi: int = 300                                # pages are rendered at this resolution
    languages: tuple[str, ...] = ("eng", "rus")   # those installed are used (English first)
    psm: str = "1"                                # automatic page segmentation, orientation
    timeout: int = 600                            # seconds one page may take


OCR = OcrSettings()
INSTALL_HINT = (
    "Install OCR to read it: `apt-get install tesseract-ocr tesseract-ocr-eng "
    "tesseract-ocr-rus` (or run `make test` or `make demo`, which install it), then ingest "
    "the file again.")


def tesseract() -> str | None:
    """Path of the tesseract binary, or None when OCR is not installed."""
    return shutil.which("tesseract")


@lru_cache(maxsize=4)
def ocr_languages(binary: str) -> str:
    """The `-l` argument: the wanted languages that this tesseract has data for."""
    try:
        done = subprocess.run([binary, "--list-langs"], capture_output=True, text=True,
                              timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return OCR.languages[0]
    have = {ln.strip() for ln in done.stdout.splitlines()}
    found = [lang for lang in OCR.languages if lang in have]
    return "+".join(found) or OCR.languages[0]


def ocr_image(name: str, page: int, png: bytes) -> list[str]:
    """The text lines tesseract reads off one page image (PNG bytes), blank lines dropped."""
    binary = tesseract()
    if binary is None:
        raise UnreadableFileError(f"{name}: page {page} has no text layer. {INSTALL_HINT}")
    cmd = [binary, "stdin", "stdout", "-l", ocr_languages(binary), "--psm", OCR.psm]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(cmd, input=png, capture_output=True, env=env,
                              timeout=OCR.timeout, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise UnreadableFileError(
            f"{name}: OCR of page {page} failed ({exc}). Check that `tesseract --version` "
            "runs, then ingest the file again.") from exc
    if done.returncode != 0:
        msg = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise UnreadableFileError(
            f"{name}: OCR of page {page} failed (tesseract: {msg[0]}). Check the tesseract "
            "installation and its language data (`tesseract --list-langs`).")
    text = done.stdout.decode("utf-8", "replace").replace("\f", "")
    return [ln.rstrip() for ln in text.splitlines() if ln.strip()]


def ocr_pages(name: str, images: list[tuple[int, bytes]]) -> dict[int, list[str]]:
    """OCR several page images at once (one tesseract per core); page number → lines."""
    if not images:
        return {}
    workers = max(1, min(len(images), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda item: ocr_image(name, item[0], item[1]), images)
        return {page: lines for (page, _), lines in zip(images, results, strict=True)}
