"""Sorting names the way Albanian, Serbian and English readers expect.

* Albanian (``sq``): a b c ç d dh e ë f g gj h i j k l ll m n nj o p q r rr s sh t th u v x xh
  y z zh -- the nine digraphs are letters of their own ("Dushi" < "Dhimitri"). Cyrillic text is
  read in its Latin transliteration.
* Serbian (``sr``): Latin a b c č ć d dž đ e f g h i j k l lj m n nj o p r s š t u v z ž
  ("Lukić" < "Ljubica"), and Cyrillic in its own order а б в г д ђ е ж з и ј к л љ м н њ о п
  р с т ћ у ф х ц ч џ ш. The two orders differ, so Latin-script text sorts before
  Cyrillic-script text, each in its alphabet.
* Anything else (``en``): the search fold (no diacritics, Cyrillic transliterated).

Letters outside the language's alphabet sort with their base letter (é with e) or, if the
alphabet lacks that letter (w in Albanian; q w x y in Serbian), after the letter before it in
the English alphabet. Digits come before letters; spaces and hyphens separate words (a
shorter word first: "Ana Maria" < "Anabela"); other punctuation is ignored. Ties are broken
by accents, then case, so the order is total and stable.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import cache

from smartconf.core.text import fold, to_latin


def _letters(alphabet: str) -> tuple[str, ...]:
    return tuple(alphabet.split())


ALBANIAN = _letters("a b c ç d dh e ë f g gj h i j k l ll m n nj o p q r rr s sh t th u v x xh "
                    "y z zh")
SERBIAN_LATIN = _letters("a b c č ć d dž đ e f g h i j k l lj m n nj o p r s š t u v z ž")
SERBIAN_CYRILLIC = _letters("а б в г д ђ е ж з и ј к л љ м н њ о п р с т ћ у ф х ц ч џ ш")

_SEPARATOR = 1  # rank of a word break: below every letter and digit
_DIGIT_BASE = 10
_LATIN_BASE = 100
_CYRILLIC_BASE = 10_000
_STEP = 10  # room between two letters for letters the alphabet lacks
_WORD_BREAKS = re.compile(r"[\s\-‐‑‒–—]+")

Key = tuple


class _Alphabet:
    """Ranks of one language's letters, with the longest-first tokeniser for digraphs."""

    def __init__(self, latin: tuple[str, ...], cyrillic: tuple[str, ...] | None) -> None:
        self.ranks = {letter: _LATIN_BASE + i * _STEP for i, letter in enumerate(latin)}
        if cyrillic:
            self.ranks.update({letter: _CYRILLIC_BASE + i * _STEP
                               for i, letter in enumerate(cyrillic)})
        self.transliterate = cyrillic is None
        self.digraphs = {letter for letter in self.ranks if len(letter) > 1}

    def _fallback(self, char: str) -> list[int]:
        """Ranks of a character the alphabet lacks (see the module docstring)."""
        if "\u0400" <= char <= "\u04ff":  # other Cyrillic: after the Serbian letters
            return [_CYRILLIC_BASE + 1000 + ord(char)]
        ranks = []
        for base in fold(char):
            if base in self.ranks:
                ranks.append(self.ranks[base])
            elif base in string.ascii_lowercase:
                ranks.append(self._after_previous_letter(base))
            elif base.isdigit():
                ranks.append(_DIGIT_BASE + int(base))
        return ranks

    def _after_previous_letter(self, letter: str) -> int:
        position = string.ascii_lowercase.index(letter)
        for distance, previous in enumerate(reversed(string.ascii_lowercase[:position]), 1):
            if previous in self.ranks:
                return self.ranks[previous] + distance
        return _LATIN_BASE - _STEP + position

    def primary(self, text: str) -> tuple[int, ...]:
        """The letter ranks of ``text`` (lower-cased, NFKC), word breaks as separators."""
        if self.transliterate:
            text = to_latin(text)
        words = _WORD_BREAKS.split(unicodedata.normalize("NFKC", text).lower().strip())
        ranks: list[int] = []
        for word in words:
            if ranks:
                ranks.append(_SEPARATOR)
            ranks += self._word(word)
        return tuple(ranks)

    def _word(self, word: str) -> list[int]:
        ranks: list[int] = []
        i = 0
        while i < len(word):
            pair = word[i:i + 2]
            if pair in self.digraphs:
                ranks.append(self.ranks[pair])
                i += 2
                continue
            char = word[i]
            if char in self.ranks:
                ranks.append(self.ranks[char])
            elif char.isdigit() and char.isascii():
                ranks.append(_DIGIT_BASE + int(char))
            elif char.isalnum():
                ranks += self._fallback(char)
            i += 1
        return ranks


_ALPHABETS = {
    "sq": _Alphabet(ALBANIAN, None),
    "sr": _Alphabet(SERBIAN_LATIN, SERBIAN_CYRILLIC),
}


@cache
def _alphabet(language: str) -> _Alphabet | None:
    return _ALPHABETS.get(language.lower().split("-")[0].split("_")[0])


def collation_key(text: str, language: str = "en") -> Key:
    """A sort key for ``text`` in ``language`` ("sq", "sr", anything else: fold-based)."""
    alphabet = _alphabet(language)
    primary = alphabet.primary(text) if alphabet else fold(text)
    return (primary, text.casefold(), text)


def name_key(family: str, given: str, language: str = "en") -> Key:
    """Sort key for a person: family name first, then given name."""
    return (collation_key(family, language), collation_key(given, language))


def sorted_texts(texts, language: str = "en") -> list[str]:
    """``texts`` in the order of ``language``."""
    return sorted(texts, key=lambda t: collation_key(t, language))
