"""Donor statistics: who took part in the conferences, counted and published without leaking.

Definitions (they are repeated in the workbook's Notes sheet, ``NOTES``):

* **Participants** of a conference: for a closed conference those who attended (status
  "attended"); for any other conference those who said yes or maybe or came (accepted,
  tentative, attended: the seats taken). Every breakdown counts these *participations*; across
  conferences a person who came to two conferences counts twice ("All conferences" is the sum).
* **Unique individuals**: distinct persons among the participants (across the chosen
  conferences); only this headline figure counts persons once.
* **Organisation** (kind, country, sector): the person's current primary affiliation (else
  the first current one), as everywhere in the application; none: "No organisation".
  An organisation may work in several sectors, so the sector table does not add up.
* **Speakers**: distinct persons who speak at or moderate an agenda session of the conference
  (the published agenda), whatever their participant role; women among speakers is the
  "Female" share of that table.
* **Attendance rate** (closed conferences only): attended / (accepted + tentative + attended +
  no-show) with the statuses as they stand now; accepted or tentative after the close means
  "no record" (neither scanned nor marked no-show).

Small-cell suppression (everything that leaves the application: workbook, charts, CLI, and
the dashboard's charts too, so that what coordinators see is what the donor gets):

1. Primary: every count of 1 or 2 is shown as "<3"; 0 stays 0.
2. Complementary: every row and column of a table, with its total, is an equation a reader can
   solve. A line is safe when none of its hidden cells can be worked out from the visible ones
   and the total, knowing that "<3" means 1 or 2 and "[c]" any count of 1 or more (zeros are
   never hidden): each "<3" must still be possibly 1 and possibly 2, each "[c]" must keep at
   least two possible values. While a line is unsafe, its smallest non-zero visible cell is
   hidden as "[c]" (inner cells first, category totals next, conference totals last); when
   none is left, one of its "<3" becomes "[c]" (a total first: two conferences with one
   person each make a total of 2, and "<3 + <3 = <3" would tell that both are 1).
   Conference totals appear in every table (the attended row of the attendance table is the
   same number), so a total hidden in one table is hidden the same way in all, and the tables
   are protected again until nothing changes (the line-by-line heuristic of statistical
   offices' complementary suppression).
3. Shares (percentages) of a hidden count, or of a hidden total, are hidden ("[c]").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from smartconf.core.enums import (
    COUNTS_AGAINST_CAPACITY,
    AgendaRole,
    AuditAction,
    ConferenceStatus,
    Gender,
    OrganisationKind,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.errors import NotFoundError
from smartconf.exports.donor_workbook import (
    DonorConference,
    DonorReport,
    DonorRow,
    DonorTable,
    write_donor_workbook,
)
from smartconf.models import (
    Affiliation,
    AgendaSession,
    AgendaSessionPerson,
    Conference,
    Organisation,
    Outcome,
    Participant,
    Person,
    Tag,
    organisation_tag,
)
from smartconf.services.outcomes import FOLLOWED_KINDS, OPEN_STATUSES
from smartconf.store.audit import record_event
from smartconf.store.session import act_as

ALL = "all"
SMALL = "<3"  # a count of 1 or 2
HIDDEN = "[c]"  # a count (1 or more) hidden so that no "<3" can be worked out
TOTAL = "All conferences"
ATTENDED_BASIS = "attended"
CONFIRMED_BASIS = "accepted, tentative or attended"
NO_ORGANISATION = "No organisation"
NO_SECTOR = "No sector"
CHARTED = ("gender", "organisation_kind", "country", "role")
SORTED_CHARTS = frozenset({"organisation_kind", "country"})  # largest first

GENDER_LABELS = {Gender.FEMALE: "Female", Gender.MALE: "Male", Gender.OTHER: "Other",
                 Gender.UNKNOWN: "Unknown"}
KIND_LABELS = {
    OrganisationKind.MINISTRY: "Ministry", OrganisationKind.AGENCY: "Agency",
    OrganisationKind.REGULATOR: "Regulator", OrganisationKind.PARLIAMENT: "Parliament",
    OrganisationKind.POLICE_SECURITY: "Police / security",
    OrganisationKind.CRITICAL_INFRASTRUCTURE: "Critical infrastructure operator",
    OrganisationKind.PRIVATE_COMPANY: "Private company", OrganisationKind.ACADEMIA: "Academia",
    OrganisationKind.CIVIL_SOCIETY: "Civil society", OrganisationKind.MEDIA: "Media",
    OrganisationKind.INTERNATIONAL: "International organisation",
    OrganisationKind.EMBASSY_DONOR: "Embassy / donor",
}
ROLE_LABELS = {r: r.value.upper() if r is ParticipantRole.VIP else r.value.capitalize()
               for r in ParticipantRole}
ATTENDANCE_ROWS = ("Attended", "No-show", "Accepted or tentative, no record")

NOTES = (
    "Participants of a conference: for a closed conference those who attended; for any other "
    "conference those accepted, tentative or attended (the seats taken). Breakdowns count "
    "participations: across conferences a person who came to two conferences counts twice, "
    "and 'All conferences' is the sum of the conference columns.",
    "Unique individuals: distinct persons among the participants of the chosen conferences.",
    "Gender: as self-declared; 'Unknown' (not declared) is kept as its own category.",
    "Organisation kind, country and sector: of the person's current primary organisation "
    "(else the first current one); 'No organisation' when there is none. An organisation may "
    "work in several sectors, so the sector table does not add up to the participants.",
    "Role: the participant's role at the conference.",
    "Speakers: distinct persons who speak at or moderate a session of the published agenda, "
    "whatever their participant role. Women among speakers = the 'Female' share of that table.",
    "Attendance rate (closed conferences only): attended / (accepted + tentative + attended + "
    "no-show), statuses as they stand at the date above. Accepted or tentative after the close "
    "means no record (neither checked in nor marked no-show).",
    "Small counts: every count of 1 or 2 is shown as <3; 0 is shown as 0.",
    "Complementary suppression: so that no <3 can be worked out by subtracting the visible "
    "cells of a row or column from its total, further cells of that row or column are hidden "
    "and shown as [c] (the smallest non-zero ones first). [c] stands for any count of 1 or more "
    "(a zero is always shown); where even <3 would give a neighbour away (1 + 1 = <3), a count "
    "of 1 or 2 is shown as [c] instead. A conference total hidden in one table is hidden in "
    "every table.",
    "Shares: percentage of the column total (sectors: of the column's participants); a share "
    "of a hidden count or of a hidden total is hidden ([c]).",
)


# --- small-cell suppression ------------------------------------------------------------------

Pos = tuple  # a cell of a grid: (row, column); "T" stands for a total


@dataclass(frozen=True, slots=True)
class Line:
    """An equation a reader can solve: the members add up to the total."""

    members: tuple[Pos, ...]
    total: Pos


@dataclass(slots=True)
class Grid:
    """Counts with their margins, the lines joining them and what is hidden."""

    values: dict[Pos, int]
    lines: tuple[Line, ...]
    marks: dict[Pos, str] = field(default_factory=dict)  # hidden cells: SMALL or HIDDEN

    def shown(self, pos: Pos) -> int | str:
        return self.marks.get(pos, self.values[pos])


def _domain(value_mark: str) -> tuple[float, float]:
    return (1, 2) if value_mark == SMALL else (1, float("inf"))


Bounds = dict[Pos, tuple[float, float]]
_MAX_ROUNDS = 10_000


def _narrowed(grid: Grid, line: Line, bounds: Bounds, unknown: Pos) -> tuple[float, float]:
    """The values ``unknown`` can take on ``line``, given the bounds of its other cells."""
    signed = [(p, 1) for p in line.members] + [(line.total, -1)]
    low = high = 0.0  # the signed sum of the other cells, negated, must match
    sign_u = 1
    for pos, sign in signed:
        if pos == unknown:
            sign_u = sign
            continue
        lo, hi = bounds[pos]
        low, high = (low - hi, high - lo) if sign > 0 else (low + lo, high + hi)
    lo_u, hi_u = (low, high) if sign_u > 0 else (-high, -low)
    own_lo, own_hi = bounds[unknown]
    return max(lo_u, own_lo), min(hi_u, own_hi)


def possible_values(grid: Grid) -> Bounds:
    """The range each cell can take for a reader who solves every row and column against its
    total, again and again, knowing that "<3" is 1 or 2 and "[c]" at least 1."""
    bounds: Bounds = {p: (float(v), float(v)) for p, v in grid.values.items()}
    for pos, mark in grid.marks.items():
        bounds[pos] = _domain(mark)
    hidden_lines = [line for line in grid.lines
                    if any(p in grid.marks for p in (*line.members, line.total))]
    for _ in range(_MAX_ROUNDS):
        changed = False
        for line in hidden_lines:
            for pos in (*line.members, line.total):
                if pos in grid.marks:
                    narrowed = _narrowed(grid, line, bounds, pos)
                    if narrowed != bounds[pos]:
                        bounds[pos] = narrowed
                        changed = True
        if not changed:
            break
    return bounds


def _visible_choice(grid: Grid, cells: Iterable[Pos], locked: frozenset) -> Pos | None:
    """The smallest non-zero visible cell: inner cells first, category totals next,
    conference totals (``locked``: decided for all tables at once) last."""
    visible = [p for p in cells if p not in grid.marks and grid.values[p] > 0]
    return min(visible, key=lambda p: (p in locked, "T" in p, grid.values[p], str(p)),
               default=None)


def _lone_hidden(grid: Grid, locked: frozenset) -> Pos | None:
    """A cell to hide on a line with a single hidden cell (the first thing a reader solves)."""
    for line in grid.lines:
        cells = (*line.members, line.total)
        if sum(1 for p in cells if p in grid.marks) == 1:
            chosen = _visible_choice(grid, cells, locked)
            if chosen is not None:
                return chosen
    return None


def _line_choice(grid: Grid, cells: Iterable[Pos], locked: frozenset) -> Pos | None:
    """A visible cell of ``cells`` to hide; when none is left, a "<3" among them that becomes
    "[c]" (totals first)."""
    cells = list(cells)
    chosen = _visible_choice(grid, cells, locked)
    if chosen is not None:
        return chosen
    small = [p for p in cells if grid.marks.get(p) == SMALL]
    return min(small, key=lambda p: (p in locked, "T" not in p, grid.values[p], str(p)),
               default=None)


def _own_bounds(grid: Grid, line: Line) -> Bounds:
    cells = (*line.members, line.total)
    return {p: _domain(grid.marks[p]) if p in grid.marks else (grid.values[p],) * 2
            for p in cells}


def _unsafe_line(grid: Grid, locked: frozenset) -> Pos | None:
    """A cell to hide on a line whose own equation pins one of its hidden cells."""
    for line in grid.lines:
        bounds = _own_bounds(grid, line)
        if any(p in grid.marks and _width(_narrowed(grid, line, bounds, p)) < 1
               for p in bounds):
            chosen = _line_choice(grid, bounds, locked)
            if chosen is not None:
                return chosen
    return None


def _width(bounds: tuple[float, float]) -> float:
    return bounds[1] - bounds[0]


def _pinned_count(grid: Grid) -> int:
    bounds = possible_values(grid)
    return sum(1 for p in grid.marks if _width(bounds[p]) < 1)


def _candidate(grid: Grid, locked: frozenset) -> Pos | None:
    """The cell to hide when several lines together pin hidden cells: of the visible cells
    (smallest first, conference totals last; then "<3" cells, totals first, made "[c]"), the
    first that frees every pinned cell, else the one that leaves the fewest pinned, else the
    first of them (hiding more always ends: with everything hidden nothing is pinned)."""
    def rank(p: Pos) -> tuple:
        return (p in locked, "T" in p, grid.values[p], str(p))

    visible = sorted((p for p in grid.values if p not in grid.marks and grid.values[p] > 0),
                     key=rank)
    small = sorted((p for p, m in grid.marks.items() if m == SMALL),
                   key=lambda p: (p in locked, "T" not in p, grid.values[p], str(p)))
    best, fewest = None, _pinned_count(grid)
    for pos in [*visible, *small]:
        before = grid.marks.get(pos)
        grid.marks[pos] = HIDDEN
        pinned = _pinned_count(grid)
        if before is None:
            del grid.marks[pos]
        else:
            grid.marks[pos] = before
        if pinned == 0:
            return pos
        if pinned < fewest:
            best, fewest = pos, pinned
    return best or next(iter([*visible, *small]), None)


def protect(grid: Grid, *, forced: dict[Pos, str] | None = None,
            locked: frozenset = frozenset()) -> dict[Pos, str]:
    """Mark the grid's hidden cells (primary, ``forced`` marks, then complementary); return
    the marks of its ``locked`` cells."""
    for pos, value in grid.values.items():
        if 1 <= value <= 2:
            grid.marks[pos] = SMALL
    for pos, mark in (forced or {}).items():
        if mark == HIDDEN or pos not in grid.marks:
            grid.marks[pos] = mark
    while True:
        chosen = _lone_hidden(grid, locked) or _unsafe_line(grid, locked)
        if chosen is None and _pinned_count(grid):
            chosen = _candidate(grid, locked)
        if chosen is None:
            break
        grid.marks[chosen] = HIDDEN
    return {p: grid.marks[p] for p in locked if p in grid.marks}


def grid_of(counts: Sequence[Sequence[int]], *, additive: bool) -> Grid:
    """A grid of ``counts`` (rows x columns) with a total column when there are several
    columns and, when ``additive``, a total row."""
    rows, columns = len(counts), len(counts[0]) if counts else 0
    values: dict[Pos, int] = {(i, j): counts[i][j] for i in range(rows) for j in range(columns)}
    lines: list[Line] = []
    wide = columns > 1
    if wide:
        for i in range(rows):
            values[(i, "T")] = sum(counts[i])
            lines.append(Line(tuple((i, j) for j in range(columns)), (i, "T")))
    if additive:
        for j in range(columns):
            values[("T", j)] = sum(counts[i][j] for i in range(rows))
            lines.append(Line(tuple((i, j) for i in range(rows)), ("T", j)))
        if wide:
            values[("T", "T")] = sum(values[("T", j)] for j in range(columns))
            lines.append(Line(tuple(("T", j) for j in range(columns)), ("T", "T")))
            lines.append(Line(tuple((i, "T") for i in range(rows)), ("T", "T")))
    return Grid(values, tuple(lines))


@dataclass(frozen=True, slots=True)
class _Shared:
    """Cells of one grid that stand for a number other tables show too."""

    grid: Grid
    keys: dict[Pos, str]  # position -> key of the shared number


def protect_together(shared: Sequence[_Shared]) -> None:
    """Protect every grid; a shared number gets the same mark in every grid ("[c]" wins over
    "<3"), and the grids are protected again until the marks no longer change."""
    marks: dict[str, str] = {}
    while True:
        found: dict[str, str] = {}
        for item in shared:
            item.grid.marks.clear()
            forced = {p: marks[k] for p, k in item.keys.items() if k in marks}
            for pos, mark in protect(item.grid, forced=forced,
                                     locked=frozenset(item.keys)).items():
                key = item.keys[pos]
                found[key] = HIDDEN if HIDDEN in (mark, found.get(key)) else mark
        if found == marks:
            return
        marks = {k: HIDDEN if HIDDEN in (m, marks.get(k)) else m for k, m in found.items()}


# --- exact statistics ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scope:
    """One conference of the statistics and whom it counts."""

    id: int
    code: str
    title: str
    status: ConferenceStatus
    starts_at: datetime
    ends_at: datetime
    timezone: str
    counted: frozenset[ParticipantStatus]

    @property
    def closed(self) -> bool:
        return self.status is ConferenceStatus.CLOSED


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Exact counts: categories (rows) by conference (columns)."""

    key: str
    title: str
    counted: str
    labels: tuple[str, ...]
    columns: tuple[str, ...]  # conference codes
    counts: tuple[tuple[int, ...], ...]
    additive: bool = True
    share_of: str = "the column total"


@dataclass(frozen=True, slots=True)
class DonorStats:
    """Exact statistics: only for the application's inside (never exported as such)."""

    scopes: tuple[Scope, ...]
    participants: tuple[int, ...]  # per conference
    unique_individuals: int
    breakdowns: tuple[Breakdown, ...]
    attendance: Breakdown | None  # closed conferences only
    generated_at: datetime  # UTC

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in (*self.breakdowns, self.attendance) if b and b.key == key)


def counted_statuses(status: ConferenceStatus) -> frozenset[ParticipantStatus]:
    """Whom a conference's statistics count: attendees once closed, else the seats taken."""
    if status is ConferenceStatus.CLOSED:
        return frozenset({ParticipantStatus.ATTENDED})
    return COUNTS_AGAINST_CAPACITY


def _scopes(session: Session, conference: str) -> tuple[Scope, ...]:
    stmt = select(Conference).order_by(Conference.starts_at, Conference.id)
    if conference.strip().lower() != ALL:
        stmt = stmt.where(Conference.code == conference.strip())
    found = session.scalars(stmt).all()
    if not found:
        raise NotFoundError(f"There is no conference with code '{conference}'.",
                            hint="List them with `smartconf conferences list`, or say 'all'.")
    return tuple(Scope(c.id, c.code, c.title, c.status, c.starts_at, c.ends_at, c.timezone,
                       counted_statuses(c.status)) for c in found)


@dataclass(frozen=True, slots=True)
class _Participation:
    column: int
    person_id: int
    role: ParticipantRole
    status: ParticipantStatus
    gender: Gender


def _participations(session: Session, scopes: Sequence[Scope]) -> list[_Participation]:
    column = {s.id: i for i, s in enumerate(scopes)}
    rows = session.execute(
        select(Participant.conference_id, Participant.person_id, Participant.role,
               Participant.status, Person.gender)
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.conference_id.in_(column))).all()
    return [_Participation(column[cid], pid, role, status, gender)
            for cid, pid, role, status, gender in rows]


@dataclass(frozen=True, slots=True)
class _Org:
    kind: OrganisationKind
    country: str
    sectors: tuple[str, ...]


def _organisations(session: Session, scope_ids: Sequence[int]) -> dict[int, _Org]:
    """Each participating person's current primary (else first current) organisation."""
    persons = select(Participant.person_id).where(Participant.conference_id.in_(scope_ids))
    chosen: dict[int, int] = {}
    for person_id, org_id in session.execute(
            select(Affiliation.person_id, Affiliation.organisation_id)
            .where(Affiliation.person_id.in_(persons), Affiliation.ended_on.is_(None))
            .order_by(Affiliation.person_id, Affiliation.is_primary.desc(), Affiliation.id)):
        chosen.setdefault(person_id, org_id)
    sectors: dict[int, list[str]] = defaultdict(list)
    for org_id, name in session.execute(
            select(organisation_tag.c.organisation_id, Tag.name)
            .join(Tag, Tag.id == organisation_tag.c.tag_id).where(Tag.category == "sector")
            .order_by(Tag.name)):
        sectors[org_id].append(name)
    orgs = {oid: _Org(kind, country, tuple(sectors.get(oid, ()))) for oid, kind, country in
            session.execute(select(Organisation.id, Organisation.kind, Organisation.country)
                            .where(Organisation.id.in_(set(chosen.values()))))}
    return {pid: orgs[oid] for pid, oid in chosen.items()}


def _tally(items: Iterable[tuple[int, str]], labels: Sequence[str], columns: int
           ) -> tuple[tuple[int, ...], ...]:
    counts = {label: [0] * columns for label in labels}
    for column, label in items:
        counts[label][column] += 1
    return tuple(tuple(counts[label]) for label in labels)


def _breakdown(key: str, title: str, counted: str, codes: tuple[str, ...],
               items: list[tuple[int, str]], labels: Sequence[str], *, additive: bool = True,
               share_of: str = "the column total") -> Breakdown:
    return Breakdown(key, title, counted, tuple(labels), codes,
                     _tally(items, labels, len(codes)), additive, share_of)


def _present(values: Iterable[str], last: str) -> list[str]:
    """The values that occur, sorted, with ``last`` (if it occurs) at the end."""
    present = set(values)
    found = sorted(present - {last})
    return [*found, last] if last in present else found


def _participant_breakdowns(counted: list[_Participation], orgs: dict[int, _Org],
                            codes: tuple[str, ...]) -> tuple[Breakdown, ...]:
    def org_of(p: _Participation) -> _Org | None:
        return orgs.get(p.person_id)

    def sectors_of(p: _Participation) -> tuple[str, ...]:
        org = org_of(p)
        return (org.sectors if org else ()) or (NO_SECTOR,)

    who = "Participations (see Notes: attended for closed conferences, else accepted, " \
          "tentative or attended)."
    kinds = [(p.column, KIND_LABELS[o.kind] if (o := org_of(p)) else NO_ORGANISATION)
             for p in counted]
    countries = [(p.column, o.country if (o := org_of(p)) else NO_ORGANISATION)
                 for p in counted]
    sectors = [(p.column, sector) for p in counted for sector in sectors_of(p)]
    return (
        _breakdown("gender", "Gender", who, codes,
                   [(p.column, GENDER_LABELS[p.gender]) for p in counted],
                   list(GENDER_LABELS.values())),
        _breakdown("organisation_kind", "Organisation kind", who, codes, kinds,
                   [*KIND_LABELS.values(), NO_ORGANISATION]),
        _breakdown("sector", "Sector", who + " A participation counts in every sector of its "
                   "organisation: the table does not add up.", codes, sectors,
                   _present((s for _, s in sectors), NO_SECTOR), additive=False,
                   share_of="the column's participants"),
        _breakdown("country", "Country", who + " Country of the organisation (ISO code, XK "
                   "Kosovo).", codes, countries,
                   _present((c for _, c in countries), NO_ORGANISATION)),
        _breakdown("role", "Role", who, codes,
                   [(p.column, ROLE_LABELS[p.role]) for p in counted],
                   list(ROLE_LABELS.values())),
    )


def _speakers(session: Session, scopes: Sequence[Scope], codes: tuple[str, ...]) -> Breakdown:
    column = {s.id: i for i, s in enumerate(scopes)}
    rows = session.execute(
        select(AgendaSession.conference_id, Person.gender, Person.id).distinct()
        .select_from(AgendaSessionPerson)
        .join(AgendaSession, AgendaSession.id == AgendaSessionPerson.agenda_session_id)
        .join(Person, Person.id == AgendaSessionPerson.person_id)
        .where(AgendaSession.conference_id.in_(column),
               AgendaSessionPerson.role.in_((AgendaRole.SPEAKER, AgendaRole.MODERATOR)))).all()
    return _breakdown("speakers", "Speakers", "Distinct persons speaking at or moderating a "
                      "session of the agenda; women among speakers is the Female share.",
                      codes, [(column[cid], GENDER_LABELS[g]) for cid, g, _pid in rows],
                      list(GENDER_LABELS.values()))


def _attendance(scopes: Sequence[Scope], everyone: list[_Participation]) -> Breakdown | None:
    closed = [i for i, s in enumerate(scopes) if s.closed]
    if not closed:
        return None
    column = {c: k for k, c in enumerate(closed)}
    status_row = {ParticipantStatus.ATTENDED: ATTENDANCE_ROWS[0],
                  ParticipantStatus.NO_SHOW: ATTENDANCE_ROWS[1],
                  ParticipantStatus.ACCEPTED: ATTENDANCE_ROWS[2],
                  ParticipantStatus.TENTATIVE: ATTENDANCE_ROWS[2]}
    items = [(column[p.column], status_row[p.status]) for p in everyone
             if p.column in column and p.status in status_row]
    return _breakdown("attendance", "Attendance", "Closed conferences: everyone accepted, "
                      "tentative, attended or no-show; the Attended share is the attendance "
                      "rate.", tuple(scopes[i].code for i in closed), items, ATTENDANCE_ROWS)


def donor_stats(session: Session, conference: str = ALL, *,
                now: datetime | None = None) -> DonorStats:
    """Exact statistics of one conference (by code) or of all (``"all"``); see the module
    doc for the definitions. Raises NotFoundError for an unknown code."""
    scopes = _scopes(session, conference)
    codes = tuple(s.code for s in scopes)
    everyone = _participations(session, scopes)
    counted = [p for p in everyone if p.status in scopes[p.column].counted]
    orgs = _organisations(session, [s.id for s in scopes])
    participants = tuple(sum(1 for p in counted if p.column == i) for i in range(len(scopes)))
    return DonorStats(
        scopes, participants, len({p.person_id for p in counted}),
        (*_participant_breakdowns(counted, orgs, codes), _speakers(session, scopes, codes)),
        _attendance(scopes, everyone), now or datetime.now(UTC))


# --- publishing: the suppressed report ---------------------------------------------------------


def _participants_key(code: str) -> str:
    return f"participants:{code}"


def _shared_keys(breakdown: Breakdown, grid: Grid) -> dict[Pos, str]:
    """Which cells of ``breakdown``'s grid are the conferences' participant totals."""
    if breakdown.key == "attendance":
        return {(0, j): _participants_key(code) for j, code in enumerate(breakdown.columns)}
    if breakdown.key == "speakers" or not breakdown.additive:
        return {}
    keys = {("T", j): _participants_key(code) for j, code in enumerate(breakdown.columns)}
    if ("T", "T") in grid.values:
        keys[("T", "T")] = "participants:all"
    return keys


def _share(count: int | str, total: int | str) -> float | str | None:
    if isinstance(count, str) or isinstance(total, str):
        return HIDDEN
    return None if total == 0 else count / total


def _published_table(breakdown: Breakdown, grid: Grid, totals: Sequence[int | str]
                     ) -> DonorTable:
    wide = len(breakdown.columns) > 1
    columns = (*breakdown.columns, TOTAL) if wide else breakdown.columns
    positions = [*range(len(breakdown.columns)), *(["T"] if wide else [])]

    def row(label: str, i) -> DonorRow:
        counts = tuple(grid.shown((i, j)) for j in positions)
        return DonorRow(label, counts, tuple(_share(c, t) for c, t in zip(counts, totals,
                                                                          strict=True)))

    rows = tuple(row(label, i) for i, label in enumerate(breakdown.labels))
    total = row("Total", "T") if breakdown.additive else None
    return DonorTable(breakdown.key, breakdown.title, breakdown.counted, columns, rows, total,
                      breakdown.share_of)


def _participant_margin(grids: dict[str, Grid], stats: DonorStats) -> list[int | str]:
    """The conferences' participants as published (the gender table's total row)."""
    grid = grids["gender"]
    wide = len(stats.scopes) > 1
    return [grid.shown(("T", j)) for j in [*range(len(stats.scopes)), *(["T"] if wide else [])]]


def _column_totals(breakdown: Breakdown, grid: Grid, margin: list[int | str]
                   ) -> list[int | str]:
    if not breakdown.additive:
        return margin
    wide = len(breakdown.columns) > 1
    return [grid.shown(("T", j)) for j in [*range(len(breakdown.columns)),
                                           *(["T"] if wide else [])]]


def _local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


def _conference_row(scope: Scope) -> DonorConference:
    starts, ends = _local(scope.starts_at, scope.timezone), _local(scope.ends_at, scope.timezone)
    dates = f"{starts:%Y-%m-%d}" if starts.date() == ends.date() else \
        f"{starts:%Y-%m-%d} to {ends:%Y-%m-%d}"
    return DonorConference(scope.code, scope.title, dates, scope.status.value,
                           ATTENDED_BASIS if scope.closed else CONFIRMED_BASIS)


def _summary(stats: DonorStats, margin: list[int | str]) -> DonorTable:
    wide = len(stats.scopes) > 1
    columns = (*(s.code for s in stats.scopes), *((TOTAL,) if wide else ()))
    unique = stats.unique_individuals
    unique_shown = SMALL if 1 <= unique <= 2 else unique
    rows = (DonorRow("Participants (participations)", tuple(margin)),
            DonorRow("Unique individuals (each person once)", (*margin[:-1], unique_shown)))
    return DonorTable("summary", "Summary", "Participants as defined in the Notes.", columns,
                      rows, None)


def publish(stats: DonorStats) -> tuple[DonorTable, tuple[DonorTable, ...]]:
    """The summary and the breakdown tables with small counts suppressed (module doc)."""
    breakdowns = [*stats.breakdowns, *([stats.attendance] if stats.attendance else [])]
    grids = {b.key: grid_of(b.counts, additive=b.additive) for b in breakdowns}
    protect_together([_Shared(grids[b.key], _shared_keys(b, grids[b.key])) for b in breakdowns])
    margin = _participant_margin(grids, stats)
    tables = tuple(_published_table(b, grids[b.key], _column_totals(b, grids[b.key], margin))
                   for b in breakdowns)
    return _summary(stats, margin), tables


def donor_report(stats: DonorStats) -> DonorReport:
    """The suppressed report of ``stats``: what the workbook, the charts and the CLI show."""
    summary, tables = publish(stats)
    zone = stats.scopes[0].timezone if stats.scopes else "UTC"
    scope = stats.scopes[0].code if len(stats.scopes) == 1 else ALL
    title = (f"Donor statistics: {stats.scopes[0].code} {stats.scopes[0].title}"
             if scope != ALL else "Donor statistics: all conferences")
    return DonorReport(title, scope, _local(stats.generated_at, zone).replace(tzinfo=None),
                       tuple(_conference_row(s) for s in stats.scopes), summary, tables, NOTES)


# --- exports ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DonorExport:
    """What `export donor` writes: the workbook and, if asked, one PNG per charted table."""

    report: DonorReport
    workbook: bytes
    charts: dict[str, bytes]  # file name -> PNG


def chart_pngs(report: DonorReport, *, size: tuple[int, int] = (1600, 900)) -> dict[str, bytes]:
    """One bar chart per charted breakdown of ``report`` (its last column): key -> PNG."""
    from smartconf.exports.charts import Bar, BarChart, bar_chart_png

    pngs = {}
    for key in CHARTED:
        table = report.table(key)
        column = table.columns[-1]
        bars = tuple(Bar(label, count) for label, count in table.column())
        chart = BarChart(f"{table.title}: {column}", bars,
                         subtitle=f"{report.title.removeprefix('Donor statistics: ')} · "
                                  f"{report.generated_at:%Y-%m-%d}",
                         footnote="Counts of 1 or 2 are shown as <3; [c]: hidden so that "
                                  "no <3 can be worked out.",
                         by_size=key in SORTED_CHARTS)
        pngs[key] = bar_chart_png(chart, size=size)
    return pngs


def export_donor(session: Session, conference: str = ALL, *, actor: str, charts: bool = False,
                 now: datetime | None = None) -> DonorExport:
    """The donor workbook (and charts) of one conference or all; audited as an export of
    aggregated personal data."""
    act_as(session, actor)
    stats = donor_stats(session, conference, now=now)
    report = donor_report(stats)
    pngs = chart_pngs(report) if charts else {}
    export = DonorExport(report, write_donor_workbook(report),
                         {f"donor-{report.scope.lower()}-{key}.png": png
                          for key, png in pngs.items()})
    entity_id = str(stats.scopes[0].id) if len(stats.scopes) == 1 else None
    record_event(session, AuditAction.EXPORT, "conference", entity_id,
                 f"donor statistics of {report.scope}: workbook"
                 f"{f' and {len(export.charts)} charts' if charts else ''}, "
                 f"{sum(stats.participants)} participation(s), aggregated, counts under 3 "
                 "suppressed")
    return export


# --- dashboard ---------------------------------------------------------------------------------


def commitment_counts(session: Session, *, today: date | None = None
                      ) -> dict[int, tuple[int, int]]:
    """(open, overdue) commitments and actions per conference id: open or in progress, and
    of those the ones past their due date."""
    today = today or datetime.now(UTC).date()
    overdue = func.sum(case((Outcome.due_on < today, 1), else_=0))
    found = {}
    for conference_id, open_count, late in session.execute(
            select(AgendaSession.conference_id, func.count(Outcome.id), overdue)
            .join(AgendaSession, AgendaSession.id == Outcome.agenda_session_id)
            .where(Outcome.kind.in_(FOLLOWED_KINDS), Outcome.status.in_(OPEN_STATUSES))
            .group_by(AgendaSession.conference_id)):
        found[conference_id] = (open_count, int(late or 0))
    return found


def dashboard_charts(session: Session, conference: str = ALL, *,
                     size: tuple[int, int] = (800, 450),
                     now: datetime | None = None) -> tuple[DonorReport, dict[str, bytes]]:
    """The report and charts the dashboard shows (suppressed like the exports; read-only)."""
    report = donor_report(donor_stats(session, conference, now=now))
    return report, chart_pngs(report, size=size)

