"""Column mapping: headers in English, Albanian and Serbian (both scripts) are recognised; the
mapping is editable and round-trips through JSON; values are read in three languages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartconf.core.enums import (
    Gender,
    Language,
    OrganisationKind,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.errors import ValidationError
from smartconf.services.import_mapping import (
    FIELDS,
    MULTI_VALUED,
    ColumnMapping,
    extract,
    field_for_header,
    guess_organisation_kind,
    parse_country,
    parse_gender,
    parse_language,
    parse_role,
    parse_status,
    split_full_name,
    suggest_mapping,
)


@pytest.mark.parametrize(("headers", "expected"), [
    (["First name", "Last name", "E-mail", "Phone", "Organization", "Position"],
     ["given_name", "family_name", "email", "phone", "organisation", "position"]),
    (["Emri", "Mbiemri", "Posta elektronike", "Telefoni", "Organizata", "Pozita", "Gjuha",
      "Gjinia", "Roli", "Statusi"],
     ["given_name", "family_name", "email", "phone", "organisation", "position", "language",
      "gender", "role", "status"]),
    (["Ime", "Prezime", "Email", "Telefon", "Organizacija", "Funkcija", "Jezik", "Pol",
      "Uloga"],
     ["given_name", "family_name", "email", "phone", "organisation", "position", "language",
      "gender", "role"]),
    (["Име", "Презиме", "Е-пошта", "Телефон", "Организација", "Позиција", "Језик", "Пол"],
     ["given_name", "family_name", "email", "phone", "organisation", "position", "language",
      "gender"]),
    (["Name", "Surname", "E-mail Address", "E-mail 2 Address", "Mobile Phone",
      "Business Phone", "Company", "Job Title", "Title", "Notes"],
     ["given_name", "family_name", "email", "email", "phone", "phone", "organisation",
      "position", "honorific", "notes"]),
    (["Name", "Email"], ["full_name", "email"]),
    (["Emri dhe mbiemri", "Shteti", "Etiketat"], ["full_name", "country", "tags"]),
    (["given_name", "family_name", "email", "status", "Something else"],
     ["given_name", "family_name", "email", "status", None]),
    (["Emri", "First name", "Mbiemri"], ["given_name", None, "family_name"]),  # first wins
])
def test_headers_are_recognised(headers: list[str], expected: list[str | None]) -> None:
    assert list(suggest_mapping(headers).columns.values()) == expected


HEADER_SPELLINGS = ["Mbiemri", "Prezime", "Презиме", "E-mail", "Gjinia", "Organizacija",
                    "Posta elektronike", "Pozita"]


def _respell(text: str, changes: list[int]) -> str:
    """The same header in another case, with diacritics or punctuation around it."""
    out = text
    for change in changes:
        out = (out.upper(), out.lower(), out.title(), f" {out}: ", f"{out} (2)",
               out.replace("e", "ë"))[change]
    return out


@given(st.sampled_from(HEADER_SPELLINGS), st.lists(st.integers(0, 5), max_size=4))
def test_recognition_ignores_case_diacritics_and_punctuation(header: str,
                                                              changes: list[int]) -> None:
    assert field_for_header(_respell(header, changes)) == field_for_header(header)


@given(st.lists(st.text(max_size=20), max_size=12, unique=True))
def test_any_headers_give_a_valid_mapping(headers: list[str]) -> None:
    mapping = suggest_mapping(headers)
    assert list(mapping.columns) == headers
    assert set(mapping.columns.values()) <= {*FIELDS, None}
    for name in mapping.fields - MULTI_VALUED:
        assert len(mapping.headers_for(name)) == 1
    assert ColumnMapping.from_json(mapping.to_json()) == mapping


@given(st.dictionaries(st.text(max_size=15), st.sampled_from([*FIELDS, None]), max_size=10),
       st.data())
def test_assign_keeps_single_fields_single(columns: dict, data) -> None:
    mapping = ColumnMapping({h: None for h in columns})
    for header, field in columns.items():
        mapping.assign(header, field)
        assert mapping.columns[header] == field
    if columns:
        header = data.draw(st.sampled_from(sorted(columns)))
        mapping.assign(header, None)
        assert mapping.columns[header] is None
    for name in mapping.fields - MULTI_VALUED:
        assert len(mapping.headers_for(name)) == 1
    assert ColumnMapping.from_json(mapping.to_json()).columns == mapping.columns


def test_assign_refuses_unknown_columns_and_fields() -> None:
    mapping = suggest_mapping(["Emri"])
    with pytest.raises(ValidationError, match="no column 'Other'"):
        mapping.assign("Other", "email")
    with pytest.raises(ValidationError, match="unknown field 'shoe_size'"):
        mapping.assign("Emri", "shoe_size")


def test_problems_and_check() -> None:
    assert suggest_mapping(["Emri", "Mbiemri"]).problems() == []
    assert suggest_mapping(["Full name"]).problems() == []
    mapping = suggest_mapping(["First name", "Email"])
    assert mapping.problems() and "family name" in mapping.problems()[0]
    with pytest.raises(ValidationError) as info:
        mapping.check()
    assert info.value.field == "mapping"


def test_saved_mapping_reused_for_a_new_file() -> None:
    saved = suggest_mapping(["Emri", "Mbiemri", "Kolona X"])
    saved.assign("Kolona X", "notes")
    again = ColumnMapping.from_json(saved.to_json()).for_headers(["Kolona X", "Emri", "Email"])
    assert again.columns == {"Kolona X": "notes", "Emri": "given_name", "Email": "email"}
    with pytest.raises(ValidationError, match="not a saved column mapping"):
        ColumnMapping.from_json('{"format": 99}')


def test_extract_splits_multi_valued_cells() -> None:
    headers = ["Emri", "Mbiemri", "Email", "Email 2", "Telefoni"]
    mapping = suggest_mapping(headers)
    values = extract(mapping, headers, [" Arta ", "", "a@x.org; b@x.org", "", "044 123 456,"])
    assert values == {"given_name": ["Arta"], "email": ["a@x.org", "b@x.org"],
                      "phone": ["044 123 456"]}


@pytest.mark.parametrize(("text", "given", "family"), [
    ("Arta Gashi", "Arta", "Gashi"), ("Gashi, Arta", "Arta", "Gashi"),
    ("Anna Maria  Berisha", "Anna Maria", "Berisha"), ("Cher", "", "Cher"),
])
def test_split_full_name(text: str, given: str, family: str) -> None:
    assert split_full_name(text) == (given, family)


@pytest.mark.parametrize(("parse", "words", "value"), [
    (parse_language, ["sq", "Shqip", "ALBANIAN", "albanski", "албански", "sq-AL"],
     Language.ALBANIAN),
    (parse_language, ["sr", "srpski", "Serbisht", "српски", "sr-Cyrl"], Language.SERBIAN),
    (parse_language, ["en", "English", "anglisht", "engleski", "en-GB"], Language.ENGLISH),
    (parse_gender, ["F", "female", "Femër", "žensko", "Ж", "ženski"], Gender.FEMALE),
    (parse_gender, ["M", "male", "mashkull", "muško", "М"], Gender.MALE),
    (parse_gender, ["?", "-", "unknown", "nepoznato"], Gender.UNKNOWN),
    (parse_role, ["speaker", "Folës", "govornik", "Говорник", "panelist"],
     ParticipantRole.SPEAKER),
    (parse_role, ["press", "gazetar", "novinar", "Media"], ParticipantRole.PRESS),
    (parse_status, ["accepted", "Pranuar", "prihvaćeno", "confirmed"],
     ParticipantStatus.ACCEPTED),
    (parse_status, ["no-show", "No show", "nuk erdhi"], ParticipantStatus.NO_SHOW),
    (parse_status, ["waitlisted", "lista e pritjes"], ParticipantStatus.WAITLISTED),
    (parse_country, ["XK", "xk", "Kosova", "Kosovë", "Kosovo"], "XK"),
    (parse_country, ["Srbija", "Србија", "Serbia", "rs"], "RS"),
])
def test_values_in_three_languages(parse, words: list[str], value) -> None:
    assert {parse(word) for word in words} == {value}


@pytest.mark.parametrize(("parse", "field"), [
    (parse_language, "language"), (parse_gender, "gender"), (parse_role, "role"),
    (parse_status, "status"), (parse_country, "country"),
])
def test_unknown_values_name_the_field_and_row(parse, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse("klingon", row=7)
    assert (info.value.field, info.value.row) == (field, 7)
    assert "'klingon'" in info.value.detail


@pytest.mark.parametrize(("name", "kind"), [
    ("Ministria e Punëve të Brendshme", OrganisationKind.MINISTRY),
    ("Министарство унутрашњих послова", OrganisationKind.MINISTRY),
    ("Kuvendi i Kosovës", OrganisationKind.PARLIAMENT),
    ("Policia e Kosovës", OrganisationKind.POLICE_SECURITY),
    ("Universiteti i Prishtinës", OrganisationKind.ACADEMIA),
    ("OSCE Mission in Kosovo", OrganisationKind.INTERNATIONAL),
    ("Embassy of Sweden", OrganisationKind.EMBASSY_DONOR),
    ("Kosovo Telekom", OrganisationKind.CRITICAL_INFRASTRUCTURE),
    ("Cacttus Sh.p.k.", OrganisationKind.PRIVATE_COMPANY),
    ("Kosovar Centre for Security Studies", OrganisationKind.CIVIL_SOCIETY),
])
def test_new_organisations_get_a_kind_from_their_name(name: str,
                                                      kind: OrganisationKind) -> None:
    assert guess_organisation_kind(name) is kind
