"""The folded search column of persons and organisations (see core.text.fold)."""

from __future__ import annotations

from smartconf.core.text import fold
from smartconf.models import Organisation, Person

_MAX = 2000


def person_search_text(person: Person) -> str:
    """Names (as written and Latin), position, organisations and e-mails, folded."""
    parts = [person.given_name, person.family_name, person.given_name_latin or "",
             person.family_name_latin or "", person.position or ""]
    for affiliation in person.affiliations:
        if affiliation.ended_on is None and affiliation.organisation is not None:
            org = affiliation.organisation
            parts += [org.name, org.acronym or ""]
    parts += [email.address for email in person.emails]
    return fold(" ".join(p for p in parts if p))[:_MAX]


def person_sort_name(person: Person) -> str:
    """Folded "family given" in Latin script: the indexed default order of person lists."""
    return fold(f"{person.family_name} {person.given_name}")[:500]


def organisation_search_text(org: Organisation) -> str:
    """Name (as written and Latin) and acronym, folded."""
    return fold(" ".join(p for p in (org.name, org.name_latin or "", org.acronym or "") if p))


def refresh_search_text(obj: Person | Organisation) -> None:
    """Recompute the folded column after the record or its relations changed."""
    if isinstance(obj, Person):
        obj.search_text = person_search_text(obj)
        obj.sort_name = person_sort_name(obj)
    else:
        obj.search_text = organisation_search_text(obj)
