"""Search folding: case, diacritics and script do not matter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartconf.core.text import fold, is_cyrillic, to_latin


@pytest.mark.parametrize(("written", "folded"), [
    ("Đorđe Čolić", "djordje colic"),
    ("Ђорђе Чолић", "djordje colic"),
    ("Djordje Colic", "djordje colic"),
    ("Çeku", "ceku"),
    ("Ëmërllahu", "emerllahu"),
    ("Љиљана Њежић", "ljiljana njezic"),
    ("Џафер", "dzafer"),
    ("  ŠTRBAC   Žarko ", "strbac zarko"),
    ("Straße", "strasse"),
])
def test_fold(written: str, folded: str) -> None:
    assert fold(written) == folded


def test_cyrillic_and_latin_serbian_fold_alike() -> None:
    assert fold("Министарство унутрашњих послова") == fold("Ministarstvo unutrašnjih poslova")


def test_to_latin_keeps_case_and_diacritics() -> None:
    assert to_latin("Ђорђе Чолић") == "Đorđe Čolić"
    assert is_cyrillic("Чолић") and not is_cyrillic("Čolić")


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_output_is_latin_without_marks(text: str) -> None:
    folded = fold(text)
    assert not is_cyrillic(folded)
    assert folded == folded.strip()
    assert "  " not in folded


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzčćđšžëç ", min_size=1))
def test_substring_survives_folding(text: str) -> None:
    # what a user types (a part of a name) is found in the folded name
    part = text[: max(1, len(text) // 2)]
    assert fold(part).strip() in fold(text) or not fold(part)
