"""Duplicate persons: finding likely duplicates and merging two records into one.

Names are compared as *name keys*: the folded words of "given family" in sorted order, so case,
diacritics, script and word order do not matter ("Ђорђе Чолић" = "Colic Djordje"). Two keys are
similar when rapidfuzz's ratio of the keys (the token_sort_ratio of the folded names) is at
least ``THRESHOLD``. Only names that share one whole word and the first two letters of
another are compared (blocking: "arianit krasnqi" meets "arianit krasniqi" through "arianit"
+ "kr"), which keeps 100,000 persons to about a second; two names with typos in every word,
or in the first letters of the word that differs, are not paired.

E-mail addresses are unique in the database, so two records never share one; what makes a
pair *likely* rather than *possible* is a shared organisation or phone number, or a person
with no organisation at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from smartconf.core.enums import AuditAction, Gender, ParticipantRole, ParticipantStatus
from smartconf.core.errors import ValidationError
from smartconf.core.text import fold
from smartconf.models import (
    Affiliation,
    AgendaSessionPerson,
    CheckIn,
    Consent,
    Interaction,
    Organisation,
    OutboxMessage,
    Outcome,
    Participant,
    Person,
    PersonEmail,
    PersonPhone,
    RevokedBadge,
)
from smartconf.models.base import utcnow
from smartconf.services.persons import get_person
from smartconf.services.search_text import refresh_search_text
from smartconf.store.audit import record_event
from smartconf.store.session import act_as

THRESHOLD = 90
_PREFIX = 2
LIKELY = "likely"
POSSIBLE = "possible"
CERTAIN = "certain"


def name_key(given: str, family: str) -> str:
    """Folded words of the name in sorted order: "Çeku Arbër" -> "arber ceku"."""
    return " ".join(sorted(fold(f"{given} {family}").split()))


def _blocks(key: str) -> set[tuple[str, str]]:
    """(a whole word, the first letters of another word) for every pair of words."""
    words = key.split()
    if len(words) == 1:
        return {("", words[0][:_PREFIX])}
    return {(word, other[:_PREFIX]) for i, word in enumerate(words)
            for j, other in enumerate(words) if i != j}


class NameIndex:
    """Name keys -> ids, searchable for similar names (see the module docstring)."""

    def __init__(self) -> None:
        self._ids: dict[str, list[int]] = {}
        self._blocks: dict[tuple[str, str], list[str]] = defaultdict(list)

    def add(self, key: str, item: int) -> None:
        """Index ``item`` (a person id, a row number) under ``key``."""
        if not key:
            return
        ids = self._ids.get(key)
        if ids is None:
            self._ids[key] = [item]
            for block in _blocks(key):
                self._blocks[block].append(key)
        else:
            ids.append(item)

    def similar(self, key: str, threshold: int = THRESHOLD) -> list[tuple[int, int]]:
        """(item, score) of every indexed name at least ``threshold`` alike, best first."""
        if not key:
            return []
        scores: dict[str, int] = {}
        for block in _blocks(key):
            scores.update((other, round(score)) for other, score, _ in process.extract_iter(
                key, self._blocks.get(block, ()), scorer=fuzz.ratio, score_cutoff=threshold))
        found = [(item, score) for other, score in scores.items() for item in self._ids[other]]
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))

    def all_keys(self) -> Iterable[str]:
        return self._ids.keys()

    def ids(self, key: str) -> list[int]:
        return self._ids.get(key, [])


def person_name_index(session: Session) -> tuple[NameIndex, dict[int, frozenset[int]]]:
    """An index of every (not erased) person by name, and each person's current
    organisation ids."""
    index = NameIndex()
    rows = session.execute(select(Person.id, Person.given_name, Person.family_name)
                           .where(Person.erased_at.is_(None)).order_by(Person.id))
    for person_id, given, family in rows:
        index.add(name_key(given, family), person_id)
    orgs: dict[int, set[int]] = defaultdict(set)
    for person_id, org_id in session.execute(
            select(Affiliation.person_id, Affiliation.organisation_id)
            .where(Affiliation.ended_on.is_(None))):
        orgs[person_id].add(org_id)
    return index, {k: frozenset(v) for k, v in orgs.items()}


# -- finding duplicates -----------------------------------------------------------------------

@dataclass(frozen=True)
class DuplicateMember:
    """One person of a duplicate group, as a list shows it."""

    person_id: int
    name: str
    organisations: tuple[str, ...]
    emails: tuple[str, ...]
    phones: tuple[str, ...]

    def as_json(self) -> dict:
        return {"id": self.person_id, "name": self.name,
                "organisations": list(self.organisations), "emails": list(self.emails),
                "phones": list(self.phones)}


@dataclass(frozen=True)
class DuplicateGroup:
    """Persons whose names are the same or similar; ``score`` is the weakest link."""

    score: int
    confidence: str  # "likely" or "possible"
    reasons: tuple[str, ...]
    members: tuple[DuplicateMember, ...]

    def as_json(self) -> dict:
        return {"score": self.score, "confidence": self.confidence,
                "reasons": list(self.reasons), "persons": [m.as_json() for m in self.members]}


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.score: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int, score: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        low = min(score, self.score.get(root_a, 100), self.score.get(root_b, 100))
        if root_a != root_b:
            self.parent[root_b] = root_a
        self.score[root_a] = low

    def groups(self) -> Iterator[tuple[int, list[int]]]:
        members: dict[int, list[int]] = defaultdict(list)
        for item in self.parent:
            members[self.find(item)].append(item)
        for root, items in members.items():
            if len(items) > 1:
                yield self.score.get(root, 100), sorted(items)


def find_duplicates(session: Session, *, threshold: int = THRESHOLD,
                    limit: int | None = None) -> list[DuplicateGroup]:
    """Groups of persons with the same or similar names, likely ones first."""
    index, orgs = person_name_index(session)
    links = _UnionFind()
    for key in index.all_keys():
        ids = index.ids(key)
        for other, score in index.similar(key, threshold):
            links.union(ids[0], other, score)
    found = list(links.groups())
    details = _member_details(session, [i for _, ids in found for i in ids])
    groups = [_group(score, ids, details, orgs) for score, ids in found]
    groups.sort(key=lambda g: (g.confidence != LIKELY, -g.score, g.members[0].name.casefold(),
                               g.members[0].person_id))
    return groups[:limit] if limit is not None else groups


def _member_details(session: Session, ids: list[int]) -> dict[int, DuplicateMember]:
    """Names, current organisations, e-mails and phones of ``ids``; read by whole-table scans
    filtered here, which beats hundreds of IN (...) queries when groups are large."""
    wanted = set(ids)
    if not wanted:
        return {}
    names = {i: f"{g} {f}" for i, g, f in session.execute(
        select(Person.id, Person.given_name, Person.family_name)) if i in wanted}
    lists: list[dict[int, list[str]]] = [defaultdict(list) for _ in range(3)]
    queries = (select(Affiliation.person_id, Organisation.name).join(Organisation)
               .where(Affiliation.ended_on.is_(None)).order_by(Affiliation.id),
               select(PersonEmail.person_id, PersonEmail.address).order_by(PersonEmail.id),
               select(PersonPhone.person_id, PersonPhone.number).order_by(PersonPhone.id))
    for found, query in zip(lists, queries, strict=True):
        for person_id, value in session.execute(query):
            if person_id in wanted:
                found[person_id].append(value)
    orgs, emails, phones = lists
    return {i: DuplicateMember(i, names[i], tuple(orgs[i]), tuple(emails[i]), tuple(phones[i]))
            for i in ids}


def _group(score: int, ids: list[int], details: dict[int, DuplicateMember],
           orgs: dict[int, frozenset[int]]) -> DuplicateGroup:
    members = tuple(details[i] for i in ids)
    reasons = ["same name" if score == 100 else f"similar names ({score})"]
    org_counts = Counter(o for i in ids for o in orgs.get(i, ()))
    phone_counts = Counter(p for m in members for p in set(m.phones))
    if any(n > 1 for n in org_counts.values()):
        reasons.append("same organisation")
    if any(n > 1 for n in phone_counts.values()):
        reasons.append("same phone")
    if len(ids) == 2 and any(not orgs.get(i) for i in ids):
        reasons.append("no organisation")
    return DuplicateGroup(score, LIKELY if len(reasons) > 1 else POSSIBLE, tuple(reasons),
                          members)


# -- merging ----------------------------------------------------------------------------------

# Which participation status wins when both records take part in the same conference.
_STATUS_RANK = {status: rank for rank, status in enumerate((
    ParticipantStatus.CANCELLED, ParticipantStatus.SHORTLISTED, ParticipantStatus.NO_SHOW,
    ParticipantStatus.DECLINED, ParticipantStatus.WAITLISTED, ParticipantStatus.INVITED,
    ParticipantStatus.TENTATIVE, ParticipantStatus.ACCEPTED, ParticipantStatus.ATTENDED))}
_FILLED_FIELDS = ("given_name_latin", "family_name_latin", "honorific", "position", "owner_id")
MERGE_REASON = "duplicate person merged"


@dataclass
class MergeResult:
    """What moved from the merged person to the kept one."""

    keep_id: int
    merged_id: int
    merged_name: str
    moved: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"kept": self.keep_id, "merged": self.merged_id,
                "merged_name": self.merged_name, "moved": dict(self.moved)}


def merge_persons(session: Session, keep_id: int, merge_id: int, *, actor: str) -> MergeResult:
    """Merge person ``merge_id`` into ``keep_id`` and delete it; nothing of its history is lost.

    E-mails, phones (new numbers), affiliations, assessments, consents, interactions, tags,
    agenda roles and outcome commitments move over; empty fields of the kept person are
    filled. When both take part in the same conference, one participation remains with the
    more advanced status; check-ins move to it (a second admission for the same door is
    voided, with the reason), the badge of the more advanced participation stays valid and
    the other code is revoked. An audit event records who merged what into what.
    """
    act_as(session, actor)
    if keep_id == merge_id:
        raise ValidationError("a person cannot be merged into itself", field="merge_id")
    keep, merge = get_person(session, keep_id), get_person(session, merge_id)
    result = MergeResult(keep.id, merge.id, merge.full_name)
    moved = result.moved
    _fill_fields(keep, merge)
    moved["emails"] = _move_emails(keep, merge)
    moved["phones"] = _move_phones(keep, merge)
    moved["affiliations"] = _move_affiliations(keep, merge)
    moved["assessments"] = len(merge.assessments)
    for assessment in list(merge.assessments):
        assessment.person = keep
    moved["tags"] = len([t for t in merge.tags if t not in keep.tags])
    keep.tags = [*keep.tags, *(t for t in merge.tags if t not in keep.tags)]
    moved["consents"] = _repoint(session, Consent, Consent.person_id, merge.id, keep.id)
    moved["outcomes"] = _repoint(session, Outcome, Outcome.committed_person_id, merge.id,
                                 keep.id)
    moved["interactions"] = _move_interactions(session, keep, merge)
    moved["agenda_roles"] = _move_agenda_roles(session, keep.id, merge.id)
    moved.update(_merge_participations(session, keep.id, merge.id, actor))
    session.flush()
    session.delete(merge)
    refresh_search_text(keep)
    record_event(session, AuditAction.UPDATE, "person", str(keep.id),
                 f"Merged person {merge_id} ({result.merged_name}) into person {keep_id} "
                 f"({keep.full_name})", changes={"merged_person_id": merge_id, "moved": moved})
    session.flush()
    return result


def _fill_fields(keep: Person, merge: Person) -> None:
    for name in _FILLED_FIELDS:
        if getattr(keep, name) in (None, "") and getattr(merge, name) not in (None, ""):
            setattr(keep, name, getattr(merge, name))
    if keep.gender is Gender.UNKNOWN:
        keep.gender = merge.gender
    if merge.notes and merge.notes != keep.notes:
        keep.notes = f"{keep.notes}\n\n{merge.notes}" if keep.notes else merge.notes


def _move_emails(keep: Person, merge: Person) -> int:
    has_primary = any(e.is_primary for e in keep.emails)
    emails = list(merge.emails)
    for email in emails:
        email.is_primary = email.is_primary and not has_primary
        email.person = keep
    return len(emails)


def _move_phones(keep: Person, merge: Person) -> int:
    known = {p.number for p in keep.phones}
    has_primary = any(p.is_primary for p in keep.phones)
    moved = 0
    for phone in list(merge.phones):
        if phone.number in known:
            merge.phones.remove(phone)  # delete-orphan: the same number once is enough
            continue
        phone.is_primary = phone.is_primary and not has_primary
        phone.person = keep
        moved += 1
    return moved


def _move_affiliations(keep: Person, merge: Person) -> int:
    current = {a.organisation_id: a for a in keep.affiliations if a.ended_on is None}
    has_primary = any(a.is_primary for a in current.values())
    moved = 0
    for affiliation in list(merge.affiliations):
        twin = current.get(affiliation.organisation_id)
        if affiliation.ended_on is None and twin is not None:
            twin.role = twin.role or affiliation.role
            twin.started_on = min(filter(None, (twin.started_on, affiliation.started_on)),
                                  default=None)
            merge.affiliations.remove(affiliation)
            continue
        affiliation.is_primary = affiliation.is_primary and not has_primary
        affiliation.person = keep
        moved += 1
    return moved


def _repoint(session: Session, model, column, old_id: int, new_id: int) -> int:
    rows = list(session.scalars(select(model).where(column == old_id)))
    for row in rows:
        setattr(row, column.key, new_id)
    return len(rows)


def _move_interactions(session: Session, keep: Person, merge: Person) -> int:
    interactions = list(session.scalars(
        select(Interaction).where(Interaction.persons.any(Person.id == merge.id))))
    for interaction in interactions:
        interaction.persons = [p for p in interaction.persons if p.id != merge.id]
        if keep not in interaction.persons:
            interaction.persons.append(keep)
    return len(interactions)


def _move_agenda_roles(session: Session, keep_id: int, merge_id: int) -> int:
    taken = set(session.execute(select(AgendaSessionPerson.agenda_session_id,
                                       AgendaSessionPerson.role)
                                .where(AgendaSessionPerson.person_id == keep_id)).all())
    moved = 0
    for role in session.scalars(select(AgendaSessionPerson)
                                .where(AgendaSessionPerson.person_id == merge_id)):
        if (role.agenda_session_id, role.role) in taken:
            session.delete(role)
        else:
            role.person_id = keep_id
            moved += 1
    return moved


def _merge_participations(session: Session, keep_id: int, merge_id: int,
                          actor: str) -> dict[str, int]:
    mine = {p.conference_id: p for p in session.scalars(
        select(Participant).where(Participant.person_id == keep_id))}
    counts = Counter(participations=0, check_ins=0)
    for other in session.scalars(select(Participant).where(Participant.person_id == merge_id)):
        survivor = mine.get(other.conference_id)
        if survivor is None:
            other.person_id = keep_id
            counts["participations"] += 1
            continue
        counts["check_ins"] += _fold_participation(session, survivor, other, actor)
        counts["participations"] += 1
    return dict(counts)


def _fold_participation(session: Session, survivor: Participant, other: Participant,
                        actor: str) -> int:
    """Make ``survivor`` carry ``other``'s history, then delete ``other``."""
    advanced = _STATUS_RANK[other.status] > _STATUS_RANK[survivor.status]
    if advanced:
        survivor.status, survivor.status_changed_at = other.status, other.status_changed_at
    if survivor.role is ParticipantRole.PARTICIPANT:
        survivor.role = other.role
    survivor.invite_sequence = max(survivor.invite_sequence, other.invite_sequence)
    survivor.desk_note = survivor.desk_note or other.desk_note
    survivor.consent_override = survivor.consent_override or other.consent_override
    moved = _move_check_ins(session, survivor, other, actor)
    _repoint(session, RevokedBadge, RevokedBadge.participant_id, other.id, survivor.id)
    _repoint(session, OutboxMessage, OutboxMessage.participant_id, other.id, survivor.id)
    _keep_one_badge(session, survivor, other, prefer_other=advanced)
    session.flush()
    session.delete(other)
    return moved


def _move_check_ins(session: Session, survivor: Participant, other: Participant,
                    actor: str) -> int:
    admitted = set(session.scalars(select(CheckIn.scope).where(
        CheckIn.participant_id == survivor.id, CheckIn.voided_at.is_(None))))
    check_ins = list(session.scalars(select(CheckIn).where(CheckIn.participant_id == other.id)))
    for check_in in check_ins:
        if check_in.voided_at is None and check_in.scope in admitted:
            check_in.voided_at, check_in.voided_by = utcnow(), actor
            check_in.void_reason = f"second admission of the same person ({MERGE_REASON})"
        check_in.participant_id = survivor.id
    return len(check_ins)


def _keep_one_badge(session: Session, survivor: Participant, other: Participant, *,
                    prefer_other: bool) -> None:
    if other.badge_code is None:
        return
    if survivor.badge_code is not None and not prefer_other:
        session.add(RevokedBadge(code=other.badge_code, participant=survivor,
                                 reason=MERGE_REASON))
        return
    if survivor.badge_code is not None:
        session.add(RevokedBadge(code=survivor.badge_code, participant=survivor,
                                 reason=MERGE_REASON))
    code, revision = other.badge_code, max(survivor.badge_revision, other.badge_revision)
    other.badge_code = None
    session.flush()  # the code is unique: free it before the survivor takes it
    survivor.badge_code, survivor.badge_revision = code, revision
