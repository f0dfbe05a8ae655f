"""Plain text in other encodings: detected, decoded, recorded; binary files refused."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from cablegram.archive import Archive
from cablegram.errors import UnreadableFileError
from cablegram.readers.text import read_text
from tests.conftest import run_cli

# A short Russian telegram written for these tests, under an English compilation header, and a
# French note.
RUSSIAN = """12. 3 December 1951, ciphered telegram, Razuvaev to Vasilevsky
Товарищу Василевскому.
Докладываю, что корейские товарищи просят ускорить отправку зимнего обмундирования.
Шесть дивизий всё ещё получают только летнюю форму, а на перевалах уже выпал снег.
РАЗУВАЕВ
"""
FRENCH = ("Télégramme chiffré reçu à Pékin le 4 décembre 1951.\n"
          "L'ambassadeur signale que les négociations à Panmunjom reprendront après-demain.\n")


@pytest.mark.parametrize(("codec", "charset"), [("cp1251", "windows-1251"),
                                                ("koi8_r", "koi8-r")])
def test_russian_8bit_text_is_detected(codec: str, charset: str) -> None:
    src = read_text("ru.txt", RUSSIAN.encode(codec))
    assert src.text == RUSSIAN
    assert "Докладываю" in src.text and "обмундирования" in src.text
    assert (src.encoding, src.media_type) == (charset, f"text/plain; charset={charset}")


def test_latin1_text_is_read_as_windows_1252() -> None:
    src = read_text("fr.txt", FRENCH.encode("latin-1"))
    assert src.text == FRENCH and "Télégramme chiffré reçu" in src.text
    # Windows-1252 is Latin-1 plus printable characters in 0x80-0x9F; for such text the
    # two decode alike and the detector names the superset, as browsers do.
    assert src.encoding == "windows-1252"
    assert src.media_type == "text/plain; charset=windows-1252"


def test_utf8_and_byte_order_marks() -> None:
    plain = read_text("u.txt", RUSSIAN.encode("utf-8"))
    assert (plain.text, plain.encoding, plain.media_type) == (RUSSIAN, "utf-8", "text/plain")
    bom = read_text("b.txt", codecs.BOM_UTF8 + "Сообщение\r\nполучено".encode())
    assert bom.text == "Сообщение\nполучено" and bom.encoding == "utf-8"
    wide = read_text("w.txt", "Сообщение\nполучено".encode("utf-16"))
    assert wide.text == "Сообщение\nполучено" and wide.encoding == "utf-16"


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n\x00\x01\x02binary stream",
    bytes(range(1, 32)) * 60 + bytes(range(128, 256)) * 10,
    b"\xff\xfe\x00broken",
])
def test_binary_files_are_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFileError) as err:
        read_text("scan.txt", data)
    message = str(err.value)
    assert "scan.txt" in message and "binary" in message and "UTF-8" in message


def test_ingest_records_the_charset(empty_archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "razuvaev-1951-12-03.txt"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    result = empty_archive.ingest_file(path, "russian")
    assert (result.status, result.documents) == ("added", 1)
    (row,) = empty_archive.overview()["latest"]
    doc = empty_archive.document(row["id"])
    assert doc["source_file"]["media_type"] == "text/plain; charset=windows-1251"
    assert "Шесть дивизий" in doc["text"] and doc["date"] == "1951-12-03"
    kept = empty_archive.original_path(doc["source_file"]["sha256"]).read_bytes()
    assert kept == path.read_bytes(), "the original bytes are kept as they were"


def test_extract_command_reads_legacy_text(capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    good = tmp_path / "ru.txt"
    good.write_bytes(RUSSIAN.encode("cp1251"))
    code, out, _ = run_cli(capsys, monkeypatch, "extract", str(good), "--format", "jsonl")
    (doc,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and doc["number"] == "12" and "летнюю форму" in doc["text"]
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, out, err = run_cli(capsys, monkeypatch, "extract", str(bad))
    assert code != 0 and "photo.txt" in err and "binary" in err and "Traceback" not in err
