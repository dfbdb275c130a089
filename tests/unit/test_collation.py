"""Collation: Albanian and Serbian alphabets (digraphs are letters), Cyrillic in its order."""

from __future__ import annotations

import random

import pytest

from smartconf.core.collation import (
    ALBANIAN,
    SERBIAN_CYRILLIC,
    SERBIAN_LATIN,
    collation_key,
    name_key,
    sorted_texts,
)


def _shuffled(items) -> list[str]:
    items = list(items)
    random.Random(7).shuffle(items)
    return items


@pytest.mark.parametrize(("language", "alphabet"), [
    ("sq", ALBANIAN), ("sr", SERBIAN_LATIN), ("sr", SERBIAN_CYRILLIC)])
def test_each_alphabet_sorts_in_its_own_order(language, alphabet) -> None:
    assert sorted_texts(_shuffled(alphabet), language) == list(alphabet)
    upper = [letter.capitalize() for letter in alphabet]
    assert sorted_texts(_shuffled(upper), language) == upper


def test_albanian_letters_and_digraphs() -> None:
    assert sorted_texts(["ë", "e", "dh", "d", "ç", "c"], "sq") == ["c", "ç", "d", "dh", "e", "ë"]
    assert sorted_texts(["Dhimitri", "Dushi"], "sq") == ["Dushi", "Dhimitri"]
    assert sorted_texts(["Zhubi", "Zyberi", "Xhafa", "Xani"], "sq") == \
        ["Xani", "Xhafa", "Zyberi", "Zhubi"]
    assert sorted_texts(["Ëmërllahu", "Ethem", "Çeku", "Cana", "Dema"], "sq") == \
        ["Cana", "Çeku", "Dema", "Ethem", "Ëmërllahu"]


def test_serbian_latin_letters_and_digraphs() -> None:
    assert sorted_texts(["đ", "dž", "d", "ć", "č", "c"], "sr") == ["c", "č", "ć", "d", "dž", "đ"]
    assert sorted_texts(["Ljubica", "Lukić"], "sr") == ["Lukić", "Ljubica"]
    assert sorted_texts(["Njegoš", "Nušić"], "sr") == ["Nušić", "Njegoš"]
    # a decomposed č (c + combining caron) is the same letter
    assert collation_key("C\u030colić", "sr")[0] == collation_key("Čolić", "sr")[0]


def test_serbian_cyrillic_follows_latin_each_in_its_order() -> None:
    names = ["Љубица", "Ljubica", "Лукић", "Lukić", "Ђорђе", "Đorđe", "Дарко", "Darko"]
    assert sorted_texts(names, "sr") == \
        ["Darko", "Đorđe", "Lukić", "Ljubica", "Дарко", "Ђорђе", "Лукић", "Љубица"]


def test_letters_outside_the_alphabet_sort_near_their_base() -> None:
    assert sorted_texts(["Wagner", "Xhafa", "Vula"], "sq") == ["Vula", "Wagner", "Xhafa"]
    assert sorted_texts(["Young", "Zorić", "Quinn", "Ristić", "Petrović"], "sr") == \
        ["Petrović", "Quinn", "Ristić", "Young", "Zorić"]
    assert sorted_texts(["Ezra", "Émile", "Eb"], "sq") == ["Eb", "Émile", "Ezra"]


def test_albanian_reads_cyrillic_in_latin_letters() -> None:
    assert sorted_texts(["Dushi", "Ђорђе", "Dema"], "sq") == ["Dema", "Ђорђе", "Dushi"]


def test_default_order_folds_diacritics_and_script() -> None:
    assert sorted_texts(["Colin", "Čolić", "Cole"], "en") == ["Cole", "Čolić", "Colin"]
    assert sorted_texts(["Dorde", "Ђорђе", "Djordje"], "en") == ["Djordje", "Ђорђе", "Dorde"]


def test_words_digits_and_ties() -> None:
    assert sorted_texts(["Anabela", "Ana Maria", "Ana"], "sq") == ["Ana", "Ana Maria", "Anabela"]
    assert collation_key("Ana-Maria", "sq")[0] == collation_key("Ana Maria", "sq")[0]
    assert sorted_texts(["B2", "B10", "Ba"], "sq") == ["B10", "B2", "Ba"]
    # equal letters: the order is still total (accents, then case)
    assert sorted_texts(["ana", "Ana"], "sr") == ["Ana", "ana"]


def test_names_compare_by_family_then_given() -> None:
    people = [("Dhimitri", "Arta"), ("Dushi", "Besa"), ("Dushi", "Agim")]
    ordered = sorted(people, key=lambda p: name_key(p[0], p[1], "sq"))
    assert ordered == [("Dushi", "Agim"), ("Dushi", "Besa"), ("Dhimitri", "Arta")]
