"""Dehyphenation keeps the line count, so line numbers still point into the source."""

from __future__ import annotations

from cablegram.normalize import dehyphenate


def test_joins_words_split_at_line_ends() -> None:
    text = "with regard to pris-\noners, and the\nChi-\nnese-Korean border"
    out = dehyphenate(text)
    assert out == "with regard to prisoners,\nand the\nChinese-Korean\nborder"
    assert out.count("\n") == text.count("\n")


def test_keeps_real_hyphens_and_capitals() -> None:
    text = "the north-\nEastern front\n25-\n35 advisers"
    assert dehyphenate(text) == text
