"""Which column of an imported file holds which field, and what its words mean.

Headers are recognised in English, Albanian and Serbian (Latin and Cyrillic), compared folded
(``core.text.fold``: case, diacritics and script do not matter; punctuation and column numbers
such as "E-mail 2" are ignored). A header that is exactly a canonical field name maps to it.
:class:`ColumnMapping` is what an import dialog edits and saves; values such as "shqip",
"Femër", "говорник" or "pranuar" are read by the ``parse_*`` functions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from smartconf.core.enums import (
    Gender,
    Language,
    OrganisationKind,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.errors import ValidationError
from smartconf.core.text import fold

MAPPING_FORMAT = 1

# Canonical fields and what a person calls them (the GUI translates these labels).
FIELDS: dict[str, str] = {
    "given_name": "Given name",
    "family_name": "Family name",
    "full_name": "Full name (given and family)",
    "honorific": "Honorific",
    "email": "E-mail",
    "phone": "Phone",
    "organisation": "Organisation",
    "position": "Position",
    "language": "Language",
    "gender": "Gender",
    "role": "Participant role",
    "status": "Participant status",
    "country": "Country of the organisation",
    "tags": "Tags",
    "notes": "Notes",
}
# Fields that several columns may fill ("Email", "Email 2"); the others take one column.
MULTI_VALUED = frozenset({"email", "phone", "tags"})

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "given_name": ("given name", "first name", "firstname", "forename", "given", "first",
                   "emri", "emer", "ime", "emri i pare", "given names"),
    "family_name": ("family name", "last name", "lastname", "surname", "family", "last",
                    "mbiemri", "mbiemer", "prezime", "familja"),
    "full_name": ("full name", "name and surname", "name surname", "first and last name",
                  "emri dhe mbiemri", "emri mbiemri", "emri i plote", "ime i prezime",
                  "ime prezime", "contact", "kontakt", "participant",
                  "pjesemarresi", "ucesnik", "fn", "display name"),
    "honorific": ("honorific", "title", "salutation", "prefix", "name prefix", "titulli",
                  "titula", "zvanje"),
    "email": ("email", "e mail", "mail", "email address", "e mail address", "e mail value",
              "email value", "work email", "private email", "personal email",
              "posta elektronike", "adresa e postes elektronike", "e posta", "email i",
              "e maili", "emaili", "imejl", "elektronska posta", "adresa e poste"),
    "phone": ("phone", "telephone", "tel", "mobile", "mobile phone", "cell", "cell phone",
              "business phone", "home phone", "work phone", "primary phone", "phone number",
              "phone value", "telefon", "telefoni", "numri i telefonit", "nr i telefonit",
              "celular", "mobil", "mobilni", "mobitel", "broj telefona", "kontakt telefon"),
    "organisation": ("organisation", "organization", "org", "organizata", "organizacija",
                     "organization name", "organisation name", "institution", "institucioni",
                     "institucija", "company", "kompania", "kompanija", "employer",
                     "ustanova", "affiliation", "agency", "agjencia"),
    "position": ("position", "job title", "job", "function", "organization title",
                 "pozita", "pozicija", "funkcija", "funksioni", "detyra", "radno mesto",
                 "pozita e punes", "occupation"),
    "language": ("language", "preferred language", "lang", "gjuha", "gjuha e preferuar",
                 "jezik", "preferred lang"),
    "gender": ("gender", "sex", "gjinia", "pol", "gjinija", "rod"),
    "role": ("role", "roli", "uloga", "participant role", "roli i pjesemarresit"),
    "status": ("status", "statusi", "participation status", "participant status"),
    "country": ("country", "shteti", "vendi", "drzava", "zemlja"),
    "tags": ("tags", "tag", "etiketat", "etiketa", "oznake", "oznaka", "categories",
             "category", "kategorija", "kategoria", "groups"),
    "notes": ("notes", "note", "comments", "comment", "remarks", "shenime", "shenim",
              "komente", "koment", "napomena", "napomene", "beleske", "beleska"),
}
# "Name" is the given name next to a family-name column, else the whole name.
_AMBIGUOUS_NAME = frozenset({"name", "emri", "ime"})


def header_key(header: str) -> str:
    """A header folded for comparison: "E-mail 2 (work)" -> "e mail work"."""
    words = re.sub(r"[^0-9a-z]+", " ", fold(header)).split()
    return " ".join(w for w in words if not w.isdigit())


_BY_KEY = {header_key(s): name for name, words in _SYNONYMS.items() for s in words}
_BY_KEY.update({header_key(name): name for name in FIELDS})
_BY_KEY.update({header_key(label): name for name, label in FIELDS.items()})
for _ambiguous in _AMBIGUOUS_NAME:
    _BY_KEY.pop(_ambiguous, None)


def field_for_header(header: str) -> str | None:
    """The field a header names by itself, or None ("Name" alone is decided in context)."""
    if header in FIELDS:
        return header
    return _BY_KEY.get(header_key(header))


@dataclass
class ColumnMapping:
    """header -> field (or None: the column is ignored), in the file's column order."""

    columns: dict[str, str | None] = field(default_factory=dict)

    def assign(self, header: str, field_name: str | None) -> None:
        """Map ``header`` to ``field_name``; a single-valued field leaves its old column."""
        if header not in self.columns:
            raise ValidationError(f"no column '{header}' in the file", field="mapping")
        if field_name is not None and field_name not in FIELDS:
            raise ValidationError(f"unknown field '{field_name}'", field="mapping")
        if field_name is not None and field_name not in MULTI_VALUED:
            for other, mapped in self.columns.items():
                if mapped == field_name:
                    self.columns[other] = None
        self.columns[header] = field_name

    def headers_for(self, field_name: str) -> list[str]:
        """The columns mapped to ``field_name``, in file order."""
        return [h for h, f in self.columns.items() if f == field_name]

    @property
    def fields(self) -> set[str]:
        return {f for f in self.columns.values() if f is not None}

    def problems(self) -> list[str]:
        """What keeps the mapping from being used (empty when it can be)."""
        found = self.fields
        issues = []
        if "full_name" not in found and not {"given_name", "family_name"} <= found:
            issues.append("Map a column to the given name and one to the family name "
                          "(or one to the full name).")
        for name in sorted(found - MULTI_VALUED):
            if len(self.headers_for(name)) > 1:
                issues.append(f"Several columns are mapped to {FIELDS[name]}.")
        return issues

    def check(self) -> None:
        """Raise ValidationError (field "mapping") when the mapping cannot be used."""
        issues = self.problems()
        if issues:
            raise ValidationError(" ".join(issues), field="mapping")

    def to_json(self) -> str:
        """The mapping as JSON (versioned), to remember it for the next file."""
        return json.dumps({"format": MAPPING_FORMAT, "columns": self.columns},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        """A mapping saved by ``to_json``; unknown fields are dropped."""
        try:
            data = json.loads(text)
            columns = data["columns"]
            if data.get("format") != MAPPING_FORMAT or not isinstance(columns, dict):
                raise ValueError("format")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError("is not a saved column mapping", field="mapping") from exc
        return cls({str(h): f if f in FIELDS else None for h, f in columns.items()})

    def for_headers(self, headers: Sequence[str]) -> ColumnMapping:
        """This mapping applied to another file's headers: known headers keep their field,
        new ones are suggested."""
        suggested = suggest_mapping(headers)
        for header in headers:
            if header in self.columns:
                suggested.assign(header, self.columns[header])
        return suggested


def suggest_mapping(headers: Sequence[str]) -> ColumnMapping:
    """The mapping a coordinator would choose for these headers (first column wins a field)."""
    found = {h: field_for_header(h) for h in headers}
    has_family = "family_name" in found.values()
    mapping = ColumnMapping({h: None for h in headers})
    for header in headers:
        name = found[header]
        if name is None and header_key(header) in _AMBIGUOUS_NAME | {"name"}:
            name = "given_name" if has_family else "full_name"
        if name is not None and (name in MULTI_VALUED or not mapping.headers_for(name)):
            mapping.columns[header] = name
    return mapping


def extract(mapping: ColumnMapping, headers: Sequence[str],
            cells: Sequence[str]) -> dict[str, list[str]]:
    """field -> values of one row: multi-valued cells (e-mail, phone, tags) are split by
    ``split_values``, single-valued ones trimmed; empty values are left out."""
    values: dict[str, list[str]] = {}
    for header, cell in zip(headers, cells, strict=False):
        name = mapping.columns.get(header)
        if name is None:
            continue
        parts = split_values(cell) if name in MULTI_VALUED else [cell.strip()]
        if any(parts):
            values.setdefault(name, []).extend(p for p in parts if p)
    return values


def split_values(cell: str) -> list[str]:
    """ "a@x.org; b@y.org" -> two values (";", "," and line breaks separate)."""
    return [part.strip() for part in re.split(r"[;,\n]", cell) if part.strip()]


def split_full_name(text: str) -> tuple[str, str]:
    """(given, family) of a whole name: "Gashi, Arta" and "Arta Gashi" give the same."""
    if "," in text:
        family, _, given = text.partition(",")
        return " ".join(given.split()), " ".join(family.split())
    words = text.split()
    if len(words) < 2:
        return "", " ".join(words)
    return " ".join(words[:-1]), words[-1]


# -- values in three languages --------------------------------------------------------------

def _vocabulary(words: dict[str, Iterable[str]]) -> dict[str, str]:
    return {header_key(w) or w: value for value, ws in words.items() for w in (*ws, value)}


_LANGUAGES = _vocabulary({
    Language.ALBANIAN: ("sq", "shqip", "shqipe", "albanian", "alb", "albanski", "gjuha shqipe",
                        "sq al", "sq xk", "албански"),
    Language.SERBIAN: ("sr", "srpski", "serbian", "serbisht", "srb", "srpski jezik", "sr latn",
                       "sr cyrl", "sr rs", "српски", "serbishte"),
    Language.ENGLISH: ("en", "english", "anglisht", "engleski", "eng", "en gb", "en us",
                       "енглески", "anglishte"),
})
_GENDERS = _vocabulary({
    Gender.FEMALE: ("f", "female", "woman", "w", "femer", "femre", "grua", "zensko", "zenski",
                    "zena", "z", "ж", "женско", "женски", "жена"),
    Gender.MALE: ("m", "male", "man", "mashkull", "burre", "musko", "muski", "muskarac",
                  "м", "мушко", "мушки"),
    Gender.OTHER: ("other", "tjeter", "drugo", "diverse", "x", "non binary", "nonbinary"),
    Gender.UNKNOWN: ("unknown", "u", "n a", "prefer not to say", "nuk dihet", "nepoznato",
                     "?", "-"),
})
_ROLES = _vocabulary({
    ParticipantRole.PARTICIPANT: ("participant", "attendee", "delegate", "pjesemarres",
                                  "pjesemarrese", "ucesnik", "ucesnica", "учесник"),
    ParticipantRole.SPEAKER: ("speaker", "panelist", "panellist", "presenter", "foles",
                              "folese", "ligjerues", "govornik", "govornica",
                              "predavac", "говорник", "панелиста"),
    ParticipantRole.MODERATOR: ("moderator", "moderatore", "moderatorka", "chair",
                                "модератор"),
    ParticipantRole.ORGANISER: ("organiser", "organizer", "organizator", "organizatore",
                                "organizues", "organizuese", "организатор", "host"),
    ParticipantRole.PRESS: ("press", "media", "journalist", "shtypi", "gazetar", "gazetare",
                            "novinar", "novinarka", "stampa", "медији", "новинар"),
    ParticipantRole.VIP: ("vip", "guest of honour", "guest of honor", "i ftuar nderi",
                          "pocasni gost"),
    ParticipantRole.STAFF: ("staff", "stafi", "personeli", "osoblje", "tim", "team",
                            "особље"),
})
_STATUSES = _vocabulary({
    ParticipantStatus.SHORTLISTED: ("shortlisted", "shortlist", "long list", "candidate",
                                    "ne liste", "propozuar", "predlozen", "uzi izbor"),
    ParticipantStatus.INVITED: ("invited", "i ftuar", "e ftuar", "ftuar", "pozvan",
                                "pozvana", "позван"),
    ParticipantStatus.ACCEPTED: ("accepted", "confirmed", "yes", "pranuar", "konfirmuar",
                                 "po", "prihvatio", "prihvatila", "prihvaceno", "potvrdjeno",
                                 "da", "прихваћено", "потврђено"),
    ParticipantStatus.TENTATIVE: ("tentative", "maybe", "ndoshta", "mozda", "можда"),
    ParticipantStatus.DECLINED: ("declined", "no", "refuzuar", "jo", "odbio", "odbila",
                                 "odbijeno", "ne", "одбијено"),
    ParticipantStatus.WAITLISTED: ("waitlisted", "waitlist", "waiting list", "ne pritje",
                                   "lista e pritjes", "lista cekanja", "na cekanju"),
    ParticipantStatus.CANCELLED: ("cancelled", "canceled", "anuluar", "otkazano", "otkazan",
                                  "отказано"),
    ParticipantStatus.ATTENDED: ("attended", "present", "came", "mori pjese", "prezent",
                                 "prisustvovao", "prisustvovala", "prisutan", "присуствовао"),
    ParticipantStatus.NO_SHOW: ("no show", "noshow", "absent", "nuk erdhi", "mungoi",
                                "nije dosao", "nije dosla", "odsutan"),
})
_COUNTRIES = _vocabulary({
    "XK": ("kosovo", "kosova", "kosove", "kosovë", "republika e kosoves", "kosovo*"),
    "AL": ("albania", "shqiperi", "shqiperia", "albanija"),
    "RS": ("serbia", "serbi", "srbija", "србија", "serbija"),
    "MK": ("north macedonia", "macedonia", "maqedoni", "maqedonia e veriut",
           "severna makedonija", "makedonija"),
    "ME": ("montenegro", "mali i zi", "crna gora", "црна гора"),
    "BA": ("bosnia and herzegovina", "bosnia", "bosnje", "bosna i hercegovina", "bih"),
    "HR": ("croatia", "kroaci", "hrvatska"),
    "SI": ("slovenia", "sloveni", "slovenija"),
    "DE": ("germany", "gjermani", "nemacka", "deutschland"),
    "GB": ("united kingdom", "uk", "britain", "mbreteria e bashkuar"),
    "US": ("united states", "usa", "shba", "sad"),
})


def _parse(text: str, words: dict[str, str], field_name: str, what: str, allowed: str,
           row: int | None):
    key = header_key(text) or text.strip()  # "?" and "-" fold to nothing
    if key in words:
        return words[key]
    raise ValidationError(f"'{text.strip()}' is not {what} ({allowed})", field=field_name,
                          row=row)


def parse_language(text: str, *, row: int | None = None) -> Language:
    """ "shqip", "sq", "Albanian", "српски" -> Language."""
    return Language(_parse(text, _LANGUAGES, "language", "a language", "sq, sr, en", row))


def parse_gender(text: str, *, row: int | None = None) -> Gender:
    """ "F", "Femër", "žensko", "М" -> Gender."""
    return Gender(_parse(text, _GENDERS, "gender", "a gender", "female, male, other", row))


def parse_role(text: str, *, row: int | None = None) -> ParticipantRole:
    """ "speaker", "folës", "говорник" -> ParticipantRole."""
    allowed = ", ".join(r.value for r in ParticipantRole)
    return ParticipantRole(_parse(text, _ROLES, "role", "a participant role", allowed, row))


def parse_status(text: str, *, row: int | None = None) -> ParticipantStatus:
    """ "accepted", "pranuar", "prihvatio" -> ParticipantStatus."""
    allowed = ", ".join(s.value for s in ParticipantStatus)
    return ParticipantStatus(_parse(text, _STATUSES, "status", "a participation status",
                                    allowed, row))


def parse_country(text: str, *, row: int | None = None) -> str:
    """ "XK", "Kosova", "Srbija" -> an ISO 3166 alpha-2 code."""
    clean = text.strip()
    if len(clean) == 2 and clean.isascii() and clean.isalpha():
        return clean.upper()
    return _parse(clean, _COUNTRIES, "country", "a country", "a two-letter code such as XK",
                  row)


# Words in an organisation's name that tell its kind, checked in this order; an organisation
# created by an import gets the first kind whose word it contains (civil society otherwise),
# and the import report lists it so that a coordinator can correct it.
_KIND_HINTS: tuple[tuple[OrganisationKind, tuple[str, ...]], ...] = (
    (OrganisationKind.EMBASSY_DONOR, ("embassy", "ambasada", "ambasade", "usaid", "giz",
                                      "sida", "donor")),
    (OrganisationKind.INTERNATIONAL, ("osce", "osbe", "undp", "unmik", "eulex", "nato",
                                      "kfor", "unicef", "united nations", "council of europe",
                                      "european union", "world bank", "dcaf", "eu office")),
    (OrganisationKind.MINISTRY, ("ministry", "ministria", "ministarstvo", "ministrija")),
    (OrganisationKind.PARLIAMENT, ("assembly", "parliament", "kuvendi", "skupstina",
                                   "parlament")),
    (OrganisationKind.POLICE_SECURITY, ("police", "policia", "policija", "security force",
                                        "forca e sigurise", "intelligence", "inteligjence",
                                        "army", "armed forces", "vojska")),
    (OrganisationKind.REGULATOR, ("regulator", "regulatory", "rregullativ", "rregullator",
                                  "regulatorna", "authority", "autoriteti", "agencija za "
                                  "zastitu", "agjencia per informim dhe privatesi")),
    (OrganisationKind.ACADEMIA, ("university", "universiteti", "univerzitet", "faculty",
                                 "fakulteti", "fakultet", "college", "kolegji", "academy",
                                 "akademia", "akademija")),
    (OrganisationKind.MEDIA, ("radio", "television", "televizioni", "televizija", "tv",
                              "news", "lajme", "gazeta", "novine", "media", "portal",
                              "koha", "rtk", "rts")),
    (OrganisationKind.CRITICAL_INFRASTRUCTURE, ("kek", "kostt", "telekom", "energy",
                                                "energji", "airport", "aeroporti",
                                                "water", "ujesjelles", "elektro", "hekurudha",
                                                "railway", "keds")),
    (OrganisationKind.AGENCY, ("agency", "agjencia", "agjencise", "agencija", "office",
                               "zyra", "kancelarija", "inspectorate", "inspektorati")),
    (OrganisationKind.PRIVATE_COMPANY, ("llc", "l l c", "shpk", "sh p k", "doo", "d o o",
                                        "ltd", "gmbh", "sh a", "bank", "banka", "company",
                                        "kompania", "inc")),
)


def guess_organisation_kind(name: str) -> OrganisationKind:
    """The kind an organisation's name suggests ("Ministria e ..." -> ministry)."""
    words = f" {header_key(name)} "
    for kind, hints in _KIND_HINTS:
        if any(f" {hint} " in words for hint in hints):
            return kind
    return OrganisationKind.CIVIL_SOCIETY
