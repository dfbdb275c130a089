"""Text folding for search: case-, diacritic- and script-insensitive.

``fold("Ђорђе Чолић") == fold("Đorđe Čolić") == fold("Djordje Colic") == "djordje colic"``.
"""

from __future__ import annotations

import unicodedata

# Serbian Cyrillic -> Serbian Latin (the official one-to-one transliteration), lower case.
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "č", "џ": "dž", "ш": "š",
    # Macedonian and Russian letters that turn up in regional names.
    "ѓ": "gj", "ѕ": "dz", "ќ": "kj", "й": "j", "ы": "y", "э": "e", "ю": "ju", "я": "ja",
    "щ": "šč", "ъ": "", "ь": "", "ё": "e",
}
_CYRILLIC_UPPER = {k.upper(): v.capitalize() for k, v in _CYRILLIC_TO_LATIN.items() if v}
_TO_LATIN = str.maketrans({**_CYRILLIC_TO_LATIN, **_CYRILLIC_UPPER})

# Letters that NFKD does not decompose into base + combining mark.
_SPECIAL_FOLDS = str.maketrans({"đ": "dj", "ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe",
                                "ı": "i", "ħ": "h"})


def to_latin(text: str) -> str:
    """Transliterate Serbian (and related) Cyrillic to Latin; other characters stay."""
    return text.translate(_TO_LATIN)


def fold(text: str) -> str:
    """Fold for search: Latin script, no diacritics, case-folded, single spaces."""
    compatible = unicodedata.normalize("NFKC", text)  # ligatures, math letters, full width
    lowered = to_latin(compatible.casefold()).casefold().translate(_SPECIAL_FOLDS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFKC", stripped).casefold().split())


def is_cyrillic(text: str) -> bool:
    """True when the text has any Cyrillic letter."""
    return any("\u0400" <= ch <= "\u04ff" for ch in text)
